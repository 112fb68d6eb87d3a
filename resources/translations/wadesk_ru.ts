<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>ActivityPage</name>
    <message>
        <location filename="../../wadesk/ui/activity/page.py" line="+353"/>
        <source>Replaying event #%1…</source>
        <translation>Повтор события №%1…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Replay of event #%1 failed: %2</source>
        <translation>Не удалось повторить событие №%1: %2</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Replayed event #%1: %2 (nothing already stored was changed twice).</source>
        <translation>Событие №%1 повторено: %2 (уже сохранённое не изменилось повторно).</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Collecting diagnostics…</source>
        <translation>Сбор диагностики…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Could not collect diagnostics: %1</source>
        <translation>Не удалось собрать диагностику: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Diagnostics copied to the clipboard (%1 lines, secrets removed). Paste them into your support request.</source>
        <translation>Диагностика скопирована в буфер обмена (строк: %1, секреты удалены). Вставьте её в обращение в поддержку.</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Could not read the events: %1</source>
        <translation>Не удалось прочитать события: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>%1 events shown</source>
        <translation>Показано событий: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Activity</source>
        <translation>Журнал</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Every webhook that reached wadesk, what the bots did, the health of the connection, and the log.</source>
        <translation>Все вебхуки, дошедшие до wadesk, действия ботов, состояние подключения и журнал.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>All events</source>
        <translation>Все события</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Accepted (signed)</source>
        <translation>Принятые (подписанные)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rejected</source>
        <translation>Отклонённые</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Errors</source>
        <translation>Ошибки</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unknown number</source>
        <translation>Неизвестный номер</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Search bodies, types, numbers and details (or #id)</source>
        <translation>Поиск по телу, типу, номеру и подробностям (или #id)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Webhook events</source>
        <translation>События вебхуков</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bot steps</source>
        <translation>Шаги ботов</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log</source>
        <translation>Лог-файл</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Waiting for the engine…</source>
        <translation>Ожидание запуска движка…</translation>
    </message>
</context>
<context>
    <name>AddNodePopup</name>
    <message>
        <location filename="../../wadesk/ui/flows/interactions.py" line="+140"/>
        <source>Search node types…</source>
        <translation>Поиск типа узла…</translation>
    </message>
</context>
<context>
    <name>BackupSection</name>
    <message>
        <location filename="../../wadesk/ui/settings/backup.py" line="+150"/>
        <source>this file is not a wadesk backup</source>
        <translation>этот файл — не резервная копия wadesk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the backup was made by a newer wadesk; update wadesk first</source>
        <translation>копия сделана более новой версией wadesk; сначала обновите wadesk</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>a secret was found in the data, so nothing was written</source>
        <translation>в данных найден секрет, поэтому ничего не записано</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>there is no data to back up yet</source>
        <translation>пока нечего сохранять</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the file does not exist</source>
        <translation>файла не существует</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the file cannot be read</source>
        <translation>файл не читается</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the data folder is not empty</source>
        <translation>папка с данными не пуста</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the backup file is damaged or incomplete</source>
        <translation>файл копии повреждён или неполон</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Export backup</source>
        <translation>Резервная копия</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+87"/>
        <source>Restore from backup</source>
        <translation>Восстановление из резервной копии</translation>
    </message>
    <message>
        <location line="-85"/>
        <source>wadesk backups (*.zip)</source>
        <translation>Резервные копии wadesk (*.zip)</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Writing the backup…</source>
        <translation>Записываю резервную копию…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The backup was not written: %1</source>
        <translation>Резервная копия не записана: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Backup saved to %1.</source>
        <translation>Резервная копия сохранена в %1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>It holds %1.</source>
        <translation>В ней %1.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Secrets (access tokens, app secrets, the ngrok authtoken) are not in the backup; keep them somewhere safe.</source>
        <translation>Секретов (токенов доступа, секретов приложения, authtoken ngrok) в копии нет; храните их в надёжном месте.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>The backup was made on %1 and holds %2.</source>
        <translation>Копия сделана %1, в ней %2.</translation>
    </message>
    <message numerus="yes">
        <location line="+9"/>
        <source>%n conversation(s)</source>
        <translation>
            <numerusform>%n диалог</numerusform>
            <numerusform>%n диалога</numerusform>
            <numerusform>%n диалогов</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n message(s)</source>
        <translation>
            <numerusform>%n сообщение</numerusform>
            <numerusform>%n сообщения</numerusform>
            <numerusform>%n сообщений</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n flow(s)</source>
        <translation>
            <numerusform>%n сценарий</numerusform>
            <numerusform>%n сценария</numerusform>
            <numerusform>%n сценариев</numerusform>
        </translation>
    </message>
    <message>
        <location line="+11"/>
        <source>This file cannot be restored: %1</source>
        <translation>Этот файл нельзя восстановить: %1</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Replace the data of wadesk on this computer with this backup?</source>
        <translation>Заменить данные wadesk на этом компьютере данными из этой копии?</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Your current data is kept in a “previous-…” folder inside the data folder. wadesk closes when the restore is done; start it again. Secrets are not in backups: you will enter the access tokens, app secrets and the ngrok authtoken again.</source>
        <translation>Текущие данные сохранятся в папке «previous-…» внутри папки с данными. После восстановления wadesk закроется — запустите его снова. Секретов в копиях нет: токены доступа, секреты приложения и authtoken ngrok нужно будет ввести заново.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Checking the backup…</source>
        <translation>Проверяю резервную копию…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Nothing was changed: %1</source>
        <translation>Ничего не изменено: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Replacing the data…</source>
        <translation>Заменяю данные…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The restore failed and your data was left as it was: %1</source>
        <translation>Восстановить не удалось, ваши данные остались прежними: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Start wadesk again.</source>
        <translation>Запустите wadesk снова.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The backup was restored.</source>
        <translation>Резервная копия восстановлена.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Backup restored</source>
        <translation>Копия восстановлена</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>wadesk closes now; start it again. Then enter each number&apos;s access token and app secret again (Numbers page) and the ngrok authtoken (Numbers → Connection settings…): backups never contain secrets.</source>
        <translation>Сейчас wadesk закроется — запустите его снова. Затем введите заново токен доступа и секрет приложения каждого номера (страница «Номера») и authtoken ngrok (Номера → Настройки подключения…): в резервных копиях секретов не бывает.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Backup</source>
        <translation>Резервная копия</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Conversations, contacts, media, quick replies, flows and bots in one file.</source>
        <translation>Диалоги, контакты, медиа, быстрые ответы, сценарии и боты в одном файле.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Export</source>
        <translation>Сохранение</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Saves everything to one .zip archive while wadesk keeps running. Secrets are never included: they stay in this computer&apos;s keyring.</source>
        <translation>Сохраняет всё в один архив .zip, wadesk при этом продолжает работать. Секреты никогда не попадают в архив: они остаются в хранилище ключей этого компьютера.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Backups are available once wadesk has a data folder.</source>
        <translation>Резервные копии доступны, когда у wadesk есть папка с данными.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Export backup…</source>
        <translation>&amp;Сохранить копию…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Restore</source>
        <translation>Восстановление</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Replaces the data on this computer with a backup (for example on a new computer). The backup is checked first; your current data is kept in a “previous-…” folder. wadesk then closes and you start it again.</source>
        <translation>Заменяет данные на этом компьютере данными из копии (например, на новом компьютере). Сначала копия проверяется; текущие данные сохраняются в папке «previous-…». Затем wadesk закрывается, и вы запускаете его снова.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Restore from backup…</source>
        <translation>&amp;Восстановить из копии…</translation>
    </message>
</context>
<context>
    <name>BotForm</name>
    <message>
        <location filename="../../wadesk/ui/flows/bot_form.py" line="+127"/>
        <source>Edit bot</source>
        <translation>Изменить бота</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New bot</source>
        <translation>Новый бот</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Number</source>
        <translation>Номер</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Flow</source>
        <translation>Сценарий</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Priority</source>
        <translation>Приоритет</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>When several bots on a number match a message, the highest priority wins.</source>
        <translation>Если на одном номере сообщению подходят несколько ботов, отвечает бот с наибольшим приоритетом.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bot name</source>
        <translation>Название бота</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Create</source>
        <translation>Создать</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit triggers…</source>
        <translation>Изменить запуски…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ignore messages that arrive later than</source>
        <translation>Не обрабатывать сообщения, опоздавшие более чем на</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> min</source>
        <translation> мин</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Answer late messages too</source>
        <translation>Отвечать и на опоздавшие</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Messages sent while wadesk was offline arrive late; older ones are kept in the inbox but neither start nor continue the bot.</source>
        <translation>Сообщения, отправленные, пока wadesk был выключен, приходят с опозданием; более старые сохраняются во входящих, но не запускают и не продолжают бота.</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>Triggers: %1</source>
        <translation>Запуски: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Triggers: none published yet</source>
        <translation>Запуски: сценарий ещё не опубликован</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Give the bot a name and choose a number and a flow.</source>
        <translation>Дайте боту название и выберите номер и сценарий.</translation>
    </message>
</context>
<context>
    <name>BotStepsView</name>
    <message>
        <location filename="../../wadesk/ui/activity/bot_steps.py" line="+197"/>
        <source>Select a step to see what the bot did.</source>
        <translation>Выберите шаг, чтобы увидеть, что сделал бот.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Node %1</source>
        <translation>Узел %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Step</source>
        <translation>Шаг</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chat</source>
        <translation>Чат</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bot</source>
        <translation>Бот</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Next</source>
        <translation>Далее</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Error</source>
        <translation>Ошибка</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What came in</source>
        <translation>Что пришло</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What was sent or done</source>
        <translation>Что отправлено или сделано</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nothing</source>
        <translation>Ничего</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Could not read the bot steps: %1</source>
        <translation>Не удалось прочитать шаги ботов: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 of %2 steps shown</source>
        <translation>Показано шагов: %1 из %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>All steps</source>
        <translation>Все шаги</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Errors</source>
        <translation>Ошибки</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hand-offs to a person</source>
        <translation>Передачи человеку</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Search nodes, steps, texts and errors</source>
        <translation>Поиск по узлам, шагам, текстам и ошибкам</translation>
    </message>
</context>
<context>
    <name>BotTraceModel</name>
    <message>
        <location filename="../../wadesk/ui/activity/bot_model.py" line="+225"/>
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chat</source>
        <translation>Чат</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bot</source>
        <translation>Бот</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Node</source>
        <translation>Узел</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Step</source>
        <translation>Шаг</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Result</source>
        <translation>Результат</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>started</source>
        <translation>запущен</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ran</source>
        <translation>выполнен</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>took a branch</source>
        <translation>выбрана ветка</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sent</source>
        <translation>отправлено</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>waits for the customer</source>
        <translation>ждёт клиента</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>got an answer</source>
        <translation>получен ответ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>button or row chosen</source>
        <translation>выбрана кнопка или строка</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>answer not valid</source>
        <translation>неверный ответ</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>error</source>
        <translation>ошибка</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>jump failed</source>
        <translation>переход не удался</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>session expired</source>
        <translation>сессия истекла</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>paused (a person handles the chat)</source>
        <translation>пауза (чат ведёт человек)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>paused: the owner wrote</source>
        <translation>пауза: написал владелец</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>resumed</source>
        <translation>продолжен</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>busy, retried</source>
        <translation>занят, повтор</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>old button tapped</source>
        <translation>нажата старая кнопка</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>old message ignored</source>
        <translation>старое сообщение пропущено</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>resumed after a delay</source>
        <translation>продолжен после перерыва</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ignored</source>
        <translation>пропущено</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>session started</source>
        <translation>сессия начата</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>session completed</source>
        <translation>сессия завершена</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>session failed</source>
        <translation>сессия прервана ошибкой</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>handed to a person</source>
        <translation>передано человеку</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>(+%1 more)</source>
        <translation>(и ещё %1)</translation>
    </message>
</context>
<context>
    <name>BotsModel</name>
    <message>
        <location filename="../../wadesk/ui/flows/bots_model.py" line="+47"/>
        <source>Bot</source>
        <translation>Бот</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Number</source>
        <translation>Номер</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Flow</source>
        <translation>Сценарий</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Triggers</source>
        <translation>Запуски</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Published</source>
        <translation>Опубликовано</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Running</source>
        <translation>Идут</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Completed</source>
        <translation>Завершены</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Handed off</source>
        <translation>Переданы</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Errors today</source>
        <translation>Ошибок сегодня</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>Active</source>
        <translation>Включён</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Off</source>
        <translation>Выключен</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>rev. %1</source>
        <translation>версия %1</translation>
    </message>
</context>
<context>
    <name>BotsPage</name>
    <message>
        <location filename="../../wadesk/ui/flows/bots_page.py" line="+171"/>
        <location line="+2"/>
        <source>Bots</source>
        <translation>Боты</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Flows</source>
        <translation>Сценарии</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New bot</source>
        <translation>Новый бот</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit bot…</source>
        <translation>Изменить бота…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit flow</source>
        <translation>Открыть сценарий</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Refresh</source>
        <translation>Обновить</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Switch off</source>
        <translation>Выключить</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Switch on</source>
        <translation>Включить</translation>
    </message>
    <message>
        <location line="+108"/>
        <source>The bot could not be saved: %1</source>
        <translation>Не удалось сохранить бота: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Bot “%1” saved.</source>
        <translation>Бот «%1» сохранён.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>The bot could not be created: %1</source>
        <translation>Не удалось создать бота: %1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Bot “%1” created. Publish its flow, then switch it on.</source>
        <translation>Бот «%1» создан. Опубликуйте его сценарий и включите бота.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>This bot cannot be switched on: its published flow has problems.</source>
        <translation>Этого бота нельзя включить: в опубликованном сценарии есть ошибки.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This bot cannot be switched on: publish its flow first.</source>
        <translation>Этого бота нельзя включить: сначала опубликуйте его сценарий.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>“%1” is on.</source>
        <translation>«%1» включён.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>“%1” is off.</source>
        <translation>«%1» выключен.</translation>
    </message>
    <message numerus="yes">
        <location line="+66"/>
        <source>Publishing is blocked: fix %n problem(s) first.</source>
        <translation>
            <numerusform>Публикация заблокирована: сначала исправьте %n проблему.</numerusform>
            <numerusform>Публикация заблокирована: сначала исправьте %n проблемы.</numerusform>
            <numerusform>Публикация заблокирована: сначала исправьте %n проблем.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Published as revision %1.</source>
        <translation>Опубликовано как версия %1.</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n warning(s) remain.</source>
        <translation>
            <numerusform>Осталось %n предупреждение.</numerusform>
            <numerusform>Осталось %n предупреждения.</numerusform>
            <numerusform>Осталось %n предупреждений.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+11"/>
        <source>New flow</source>
        <translation>Новый сценарий</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>New flow %1</source>
        <translation>Новый сценарий %1</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>The flow could not be deleted: %1</source>
        <translation>Не удалось удалить сценарий: %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>%1 is not a wadesk flow file.</source>
        <translation>%1 — не файл сценария wadesk.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Exported to %1.</source>
        <translation>Экспортировано в %1.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The draft now matches the chosen revision.</source>
        <translation>Черновик теперь совпадает с выбранной версией.</translation>
    </message>
</context>
<context>
    <name>Checks</name>
    <message>
        <location filename="../../wadesk/ui/setup/common.py" line="+32"/>
        <source>Access token: valid, type, expiry, permissions</source>
        <translation>Токен доступа: действительность, тип, срок, разрешения</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Phone Number ID: display number and quality</source>
        <translation>Phone Number ID: номер и качество</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>WhatsApp Business Account</source>
        <translation>Бизнес-аккаунт WhatsApp</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>App subscribed to the account</source>
        <translation>Приложение подписано на аккаунт</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Webhook round trip (Meta → tunnel → wadesk)</source>
        <translation>Проверка вебхука (Meta → туннель → wadesk)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Test message to your WhatsApp</source>
        <translation>Тестовое сообщение на ваш WhatsApp</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>waiting</source>
        <translation>ожидание</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>checking…</source>
        <translation>проверка…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>passed</source>
        <translation>пройдено</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>warning</source>
        <translation>предупреждение</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>failed</source>
        <translation>ошибка</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>not yet checked</source>
        <translation>ещё не проверено</translation>
    </message>
</context>
<context>
    <name>ChoiceTitles</name>
    <message>
        <location filename="../../wadesk/ui/flows/choices.py" line="+30"/>
        <source>Any message</source>
        <translation>Любое сообщение</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Keyword</source>
        <translation>Ключевое слово</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+17"/>
        <source>Regular expression</source>
        <translation>Регулярное выражение</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>First message from a new contact</source>
        <translation>Первое сообщение нового контакта</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Button payload</source>
        <translation>Данные кнопки</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only by a jump from another flow</source>
        <translation>Только переходом из другого сценария</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The whole message</source>
        <translation>Всё сообщение целиком</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Anywhere in the message</source>
        <translation>В любом месте сообщения</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>At the start of the message</source>
        <translation>В начале сообщения</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Image</source>
        <translation>Изображение</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Video</source>
        <translation>Видео</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Audio</source>
        <translation>Аудио</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Document</source>
        <translation>Документ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sticker</source>
        <translation>Стикер</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Any text</source>
        <translation>Любой текст</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Number</source>
        <translation>Число</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Email</source>
        <translation>Эл. почта</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone number</source>
        <translation>Номер телефона</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Date</source>
        <translation>Дата</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>One of the options</source>
        <translation>Один из вариантов</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>If / otherwise</source>
        <translation>Если / иначе</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cases</source>
        <translation>Варианты</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Business hours</source>
        <translation>Рабочие часы</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>equals</source>
        <translation>равно</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>does not equal</source>
        <translation>не равно</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>contains</source>
        <translation>содержит</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>does not contain</source>
        <translation>не содержит</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>starts with</source>
        <translation>начинается с</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>greater than</source>
        <translation>больше</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>at least</source>
        <translation>не меньше</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>less than</source>
        <translation>меньше</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>at most</source>
        <translation>не больше</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>matches the regular expression</source>
        <translation>соответствует регулярному выражению</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>is set</source>
        <translation>задано</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>is empty</source>
        <translation>пусто</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All rules</source>
        <translation>Все правила</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Any rule</source>
        <translation>Любое правило</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add the label</source>
        <translation>Добавить метку</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove the label</source>
        <translation>Убрать метку</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../wadesk/ui/inbox/conversation/composer.py" line="+295"/>
        <source>Emoji</source>
        <translation>Эмодзи</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Attach a file (or paste / drop it here)</source>
        <translation>Прикрепить файл (или вставьте / перетащите его сюда)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation>Заметка</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Write a private note: it stays in wadesk and is never sent</source>
        <translation>Личная заметка: остаётся в wadesk и никогда не отправляется</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Replying to: %1</source>
        <translation>Ответ на: %1</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Private note (never sent to the customer)</source>
        <translation>Личная заметка (клиенту не отправляется)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save note</source>
        <translation>Сохранить заметку</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Type a message · Enter to send, Shift+Enter for a new line, / for quick replies</source>
        <translation>Сообщение · Enter — отправить, Shift+Enter — новая строка, / — быстрые ответы</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Send</source>
        <translation>Отправить</translation>
    </message>
    <message>
        <location line="+104"/>
        <source>Attach files</source>
        <translation>Прикрепить файлы</translation>
    </message>
</context>
<context>
    <name>ConnectionSection</name>
    <message>
        <location filename="../../wadesk/ui/settings/connection.py" line="+114"/>
        <source>There is no file at this path.</source>
        <translation>По этому пути нет файла.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This is a folder; choose the ngrok program itself.</source>
        <translation>Это папка; выберите саму программу ngrok.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This file is not a program this computer can run.</source>
        <translation>Этот файл — не программа, которую может запустить этот компьютер.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Saving…</source>
        <translation>Сохраняю…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Not saved: %1</source>
        <translation>Не сохранено: %1</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Saved. The tunnel now uses this ngrok (it restarts if it was running).</source>
        <translation>Сохранено. Туннель теперь использует этот ngrok (если он был запущен, он перезапускается).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Saved. The tunnel uses wadesk&apos;s own ngrok (downloaded when needed).</source>
        <translation>Сохранено. Туннель использует собственный ngrok wadesk (скачивается при необходимости).</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Choose the ngrok program</source>
        <translation>Выберите программу ngrok</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Connection</source>
        <translation>Подключение</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How Meta&apos;s webhooks reach this computer.</source>
        <translation>Как вебхуки Meta попадают на этот компьютер.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ngrok program</source>
        <translation>Программа ngrok</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ngrok &amp;path</source>
        <translation>&amp;Путь к ngrok</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Empty: wadesk&apos;s own ngrok</source>
        <translation>Пусто: собственный ngrok wadesk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Browse…</source>
        <translation>&amp;Обзор…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Save</source>
        <translation>&amp;Сохранить</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use wadesk&apos;s &amp;own ngrok</source>
        <translation>&amp;Использовать собственный ngrok</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Leave empty to let wadesk download and manage ngrok itself. Choose your own ngrok if downloads are blocked here. A new path takes effect at once if the tunnel is running, otherwise when it next starts.</source>
        <translation>Оставьте пустым, чтобы wadesk сам скачал ngrok и управлял им. Укажите свой ngrok, если загрузки здесь заблокированы. Новый путь действует сразу, если туннель запущен, иначе — при следующем запуске.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Note: the %1 environment variable is set and wins over this setting: %2</source>
        <translation>Внимание: задана переменная окружения %1, она важнее этой настройки: %2</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Public address</source>
        <translation>Публичный адрес</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The ngrok authtoken, a reserved ngrok domain or your own public URL are set in Numbers → Connection settings…</source>
        <translation>Authtoken ngrok, зарезервированный домен ngrok или собственный публичный URL задаются в разделе Номера → Настройки подключения…</translation>
    </message>
</context>
<context>
    <name>ContactPanel</name>
    <message>
        <location filename="../../wadesk/ui/inbox/contact_panel.py" line="+223"/>
        <source>Local name</source>
        <translation>Своё имя</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>WhatsApp ID</source>
        <translation>WhatsApp ID</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>First contact</source>
        <translation>Первый контакт</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last message</source>
        <translation>Последнее сообщение</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Your name for this contact</source>
        <translation>Как вы называете этот контакт</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reopen</source>
        <translation>Открыть снова</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Mark resolved</source>
        <translation>Отметить решённым</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Bot replies</source>
        <translation>Отвечает бот</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Labels</source>
        <translation>Метки</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New label</source>
        <translation>Новая метка</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add</source>
        <translation>Добавить</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notes</source>
        <translation>Заметки</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only you see these notes.</source>
        <translation>Эти заметки видите только вы.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Custom fields</source>
        <translation>Свои поля</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Field</source>
        <translation>Поле</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>Значение</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add field</source>
        <translation>Добавить поле</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove field</source>
        <translation>Удалить поле</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Select a conversation to see the contact.</source>
        <translation>Выберите чат, чтобы увидеть контакт.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>WhatsApp name: %1</source>
        <translation>Имя в WhatsApp: %1</translation>
    </message>
    <message>
        <location line="+99"/>
        <source>Not saved: %1</source>
        <translation>Не сохранено: %1</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Saved.</source>
        <translation>Сохранено.</translation>
    </message>
</context>
<context>
    <name>ConversationDelegate</name>
    <message>
        <location filename="../../wadesk/ui/inbox/list_delegate.py" line="+127"/>
        <source>24h window closed</source>
        <translation>Окно 24 ч закрыто</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 h left</source>
        <translation>осталось %1 ч</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 min left</source>
        <translation>осталось %1 мин</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Photo</source>
        <translation>Фото</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Video</source>
        <translation>Видео</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Audio</source>
        <translation>Аудио</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Document</source>
        <translation>Документ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sticker</source>
        <translation>Стикер</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Location</source>
        <translation>Геопозиция</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contact card</source>
        <translation>Контакт</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reaction</source>
        <translation>Реакция</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Order</source>
        <translation>Заказ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Template</source>
        <translation>Шаблон</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Message</source>
        <translation>Сообщение</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Bot</source>
        <translation>Бот</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Human</source>
        <translation>Человек</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Loading…</source>
        <translation>Загрузка…</translation>
    </message>
    <message>
        <location line="+129"/>
        <source>Resolved</source>
        <translation>Решён</translation>
    </message>
</context>
<context>
    <name>ConversationPlaceholder</name>
    <message>
        <location filename="../../wadesk/ui/inbox/placeholder.py" line="+36"/>
        <source>Select a conversation on the left.</source>
        <translation>Выберите чат слева.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The message view is not available in this build.</source>
        <translation>Просмотр сообщений недоступен в этой сборке.</translation>
    </message>
</context>
<context>
    <name>ConversationView</name>
    <message>
        <location filename="../../wadesk/ui/inbox/conversation/view.py" line="+156"/>
        <source>Resume bot</source>
        <translation>Включить бота</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The bot is paused in this chat because you are replying.</source>
        <translation>Бот в этом чате приостановлен, потому что отвечаете вы.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New messages ↓</source>
        <translation>Новые сообщения ↓</translation>
    </message>
    <message>
        <location line="+100"/>
        <source>24-hour window open · %1 h %2 min left</source>
        <translation>24-часовое окно открыто · осталось %1 ч %2 мин</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>24-hour window closed · templates only</source>
        <translation>24-часовое окно закрыто · только шаблоны</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Bot: on</source>
        <translation>Бот: включён</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Bot: paused</source>
        <translation>Бот: на паузе</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Click to pause the bot in this chat</source>
        <translation>Нажмите, чтобы приостановить бота в этом чате</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Click to let the bot answer in this chat again</source>
        <translation>Нажмите, чтобы бот снова отвечал в этом чате</translation>
    </message>
    <message>
        <location line="+208"/>
        <source>Save file</source>
        <translation>Сохранить файл</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Reply</source>
        <translation>Ответить</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>React</source>
        <translation>Реакция</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Copy text</source>
        <translation>Копировать текст</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Resend</source>
        <translation>Отправить снова</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Retry</source>
        <translation>Повторить</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open</source>
        <translation>Открыть</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save as…</source>
        <translation>Сохранить как…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open in map</source>
        <translation>Открыть на карте</translation>
    </message>
</context>
<context>
    <name>DemoDock</name>
    <message>
        <location filename="../../wadesk/ui/demo_panel.py" line="+353"/>
        <source>Customer simulator</source>
        <translation>Симулятор клиента</translation>
    </message>
</context>
<context>
    <name>DemoPanel</name>
    <message>
        <location line="-144"/>
        <source>Play a customer: what you send here arrives in wadesk as a signed webhook from the built-in sandbox.</source>
        <translation>Сыграйте клиента: то, что вы отправите здесь, придёт в wadesk подписанным вебхуком от встроенной песочницы.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Customer</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type as the customer…</source>
        <translation>Пишите от имени клиента…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send</source>
        <translation>Отправить</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Answer the business</source>
        <translation>Ответить бизнесу</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Answer</source>
        <translation>Ответить</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send a photo</source>
        <translation>Отправить фото</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send location</source>
        <translation>Отправить геопозицию</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Like the last message</source>
        <translation>Лайкнуть сообщение</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Received from the business</source>
        <translation>Получено от бизнеса</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Tap “%1”</source>
        <translation>Нажать «%1»</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Pick “%1”</source>
        <translation>Выбрать «%1»</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Buttons and list rows of the business&apos;s last interactive message.</source>
        <translation>Кнопки и строки списка из последнего интерактивного сообщения бизнеса.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>When the business sends buttons or a list, you can answer here.</source>
        <translation>Когда бизнес пришлёт кнопки или список, ответить можно здесь.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Could not send: %1</source>
        <translation>Не удалось отправить: %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Sent: %1</source>
        <translation>Отправлено: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Answered: %1</source>
        <translation>Ответ: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A photo</source>
        <translation>Фото</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Photo sent</source>
        <translation>Фото отправлено</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Location sent</source>
        <translation>Геопозиция отправлена</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The business has not sent this customer anything.</source>
        <translation>Бизнес ещё ничего не отправлял этому клиенту.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reaction sent</source>
        <translation>Реакция отправлена</translation>
    </message>
</context>
<context>
    <name>EventDetailPane</name>
    <message>
        <location filename="../../wadesk/ui/activity/detail.py" line="+146"/>
        <source>Event #%1 · %2 · %3</source>
        <translation>Событие №%1 · %2 · %3</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Only the beginning of this large body is shown.</source>
        <translation>Показано только начало этого большого тела запроса.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Apply this event again; nothing already stored changes twice.</source>
        <translation>Применить событие ещё раз; уже сохранённое не изменится повторно.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Only events signed by Meta can be replayed.</source>
        <translation>Повторить можно только события, подписанные Meta.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The request had no X-Hub-Signature-256 header: it did not come from Meta, or a proxy removed the header.</source>
        <translation>В запросе нет заголовка X-Hub-Signature-256: он пришёл не от Meta, или прокси удалил заголовок.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The signature does not match the app secret of any number: the app secret in wadesk differs from the one in Meta&apos;s dashboard, or the request is forged.</source>
        <translation>Подпись не совпадает с секретом приложения ни одного номера: секрет приложения в wadesk отличается от указанного в панели Meta, или запрос подделан.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>No app secret is configured, so no webhook can be verified: add a number with its app secret first.</source>
        <translation>Секрет приложения не задан, поэтому ни один вебхук нельзя проверить: сначала добавьте номер с его секретом приложения.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The body is not a WhatsApp webhook: %1</source>
        <translation>Тело запроса — не вебхук WhatsApp: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The event is for a Phone Number ID that is not added in wadesk (%1).</source>
        <translation>Событие для Phone Number ID, который не добавлен в wadesk (%1).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Applying the event failed: %1</source>
        <translation>Не удалось применить событие: %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Received</source>
        <translation>Получено</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Number</source>
        <translation>Номер</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signature</source>
        <translation>Подпись</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Result</source>
        <translation>Результат</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Details</source>
        <translation>Подробности</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Replay</source>
        <translation>Повторить</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Select an event to see its raw JSON.</source>
        <translation>Выберите событие, чтобы увидеть его исходный JSON.</translation>
    </message>
</context>
<context>
    <name>FlowEditor</name>
    <message>
        <location filename="../../wadesk/ui/flows/editor.py" line="+223"/>
        <source>Fit</source>
        <translation>Вместить</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fit the whole flow in view (Ctrl+0)</source>
        <translation>Показать весь сценарий (Ctrl+0)</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+190"/>
        <source>Auto-layout</source>
        <translation>Авторасстановка</translation>
    </message>
    <message>
        <location line="-189"/>
        <source>Snap to grid</source>
        <translation>Привязка к сетке</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check</source>
        <translation>Проверить</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save draft</source>
        <translation>Сохранить черновик</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Publish</source>
        <translation>Опубликовать</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test in simulator</source>
        <translation>Проверить в симуляторе</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+3"/>
        <source>Variables</source>
        <translation>Переменные</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Declare the flow&apos;s variables</source>
        <translation>Объявить переменные сценария</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Problems</source>
        <translation>Проблемы</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+136"/>
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <location line="-135"/>
        <source>Copy</source>
        <translation>Копировать</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cut</source>
        <translation>Вырезать</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paste</source>
        <translation>Вставить</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Duplicate</source>
        <translation>Дублировать</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Select all</source>
        <translation>Выделить всё</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Undo</source>
        <translation>Отменить</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Redo</source>
        <translation>Повторить</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Unsaved changes</source>
        <translation>Есть несохранённые изменения</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Saved</source>
        <translation>Сохранено</translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n problem(s)</source>
        <translation>
            <numerusform>%n проблема</numerusform>
            <numerusform>%n проблемы</numerusform>
            <numerusform>%n проблем</numerusform>
        </translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Problems: %1 errors, %2 warnings</source>
        <translation>Проблемы: ошибок %1, предупреждений %2</translation>
    </message>
    <message numerus="yes">
        <location line="+35"/>
        <source>Publishing is blocked: fix %n problem(s) first.</source>
        <translation>
            <numerusform>Публикация заблокирована: сначала исправьте %n проблему.</numerusform>
            <numerusform>Публикация заблокирована: сначала исправьте %n проблемы.</numerusform>
            <numerusform>Публикация заблокирована: сначала исправьте %n проблем.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FlowList</name>
    <message>
        <location filename="../../wadesk/ui/flows/flow_list.py" line="+107"/>
        <source>Flows</source>
        <translation>Сценарии</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New</source>
        <translation>Создать</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rename</source>
        <translation>Переименовать</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Duplicate</source>
        <translation>Дублировать</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+105"/>
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <location line="-104"/>
        <source>Import…</source>
        <translation>Импорт…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export…</source>
        <translation>Экспорт…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Published revisions</source>
        <translation>Опубликованные версии</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Roll back the draft to this revision</source>
        <translation>Вернуть черновик к этой версии</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>draft, never published</source>
        <translation>черновик, ещё не опубликован</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>published rev. %1 · %2</source>
        <translation>опубликована версия %1 · %2</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Rev. %1 · %2</source>
        <translation>Версия %1 · %2</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>Delete the flow</source>
        <translation>Удалить сценарий</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Delete “%1” with its draft and all its published revisions?</source>
        <translation>Удалить «%1» вместе с черновиком и всеми опубликованными ревизиями?</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Import a flow</source>
        <translation>Импорт сценария</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+12"/>
        <source>Flows (*.json)</source>
        <translation>Сценарии (*.json)</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Export the flow</source>
        <translation>Экспорт сценария</translation>
    </message>
</context>
<context>
    <name>GeneralSection</name>
    <message>
        <location filename="../../wadesk/ui/settings/general.py" line="+114"/>
        <source>General</source>
        <translation>Общие</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changes apply immediately.</source>
        <translation>Изменения применяются сразу.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Appearance</source>
        <translation>Внешний вид</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Inbox</source>
        <translation>Входящие</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>When the window is closed</source>
        <translation>Когда окно закрыто</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About</source>
        <translation>О программе</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Language</source>
        <translation>&amp;Язык</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Theme</source>
        <translation>&amp;Тема</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>System default</source>
        <translation>Как в системе</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Light</source>
        <translation>Светлая</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dark</source>
        <translation>Тёмная</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Mark messages as read when I open a conversation</source>
        <translation>&amp;Отмечать сообщения прочитанными, когда я открываю диалог</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The customer then sees blue ticks. Turn it off to read messages without telling the customer.</source>
        <translation>Тогда клиент видит синие галочки. Выключите, чтобы читать сообщения, не сообщая об этом клиенту.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>&amp;Keep running in the tray when the window is closed</source>
        <translation>&amp;Продолжать работу в трее после закрытия окна</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>wadesk keeps receiving webhooks and shows a notification for each new customer message. Use File → Quit to stop it.</source>
        <translation>wadesk продолжит принимать вебхуки и сообщать о каждом новом сообщении клиента. Чтобы остановить его, выберите Файл → Выход.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>This desktop has no system tray, so closing the window quits wadesk.</source>
        <translation>В этой системе нет трея, поэтому закрытие окна завершает wadesk.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>wadesk %1 — a WhatsApp Business desk on your computer.</source>
        <translation>wadesk %1 — рабочее место WhatsApp Business на вашем компьютере.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Data folder: %1</source>
        <translation>Папка с данными: %1</translation>
    </message>
</context>
<context>
    <name>HealthStrip</name>
    <message>
        <location filename="../../wadesk/ui/activity/health.py" line="+101"/>
        <source>listening on %1</source>
        <translation>принимает на %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not running</source>
        <translation>не запущен</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>none yet</source>
        <translation>пока не было</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 received · %2 rejected · %3 failed</source>
        <translation>всего %1 · отклонено %2 · ошибок %3</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>not configured</source>
        <translation>не настроен</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>stopped</source>
        <translation>остановлен</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>starting…</source>
        <translation>запускается…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>own URL %1</source>
        <translation>свой адрес %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>down: %1</source>
        <translation>не работает: %1</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Webhook server</source>
        <translation>Сервер вебхуков</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tunnel</source>
        <translation>Туннель</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last webhook</source>
        <translation>Последний вебхук</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Events</source>
        <translation>События</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Copy diagnostics</source>
        <translation>Скопировать диагностику</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copies versions, checks, health, numbers and the last log lines (without secrets) to the clipboard, for a support request.</source>
        <translation>Копирует версии, проверки, состояние, номера и последние строки журнала (без секретов) в буфер обмена — для обращения в поддержку.</translation>
    </message>
</context>
<context>
    <name>InboxPage</name>
    <message>
        <location filename="../../wadesk/ui/inbox/page.py" line="+234"/>
        <source>Search messages and contacts</source>
        <translation>Поиск по сообщениям и контактам</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show or hide the contact details</source>
        <translation>Показать или скрыть сведения о контакте</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All</source>
        <translation>Все</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Unread</source>
        <translation>Непрочитанные</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open</source>
        <translation>Открытые</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resolved</source>
        <translation>Решённые</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bot</source>
        <translation>Бот</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Human</source>
        <translation>Человек</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+112"/>
        <source>Any label</source>
        <translation>Любая метка</translation>
    </message>
    <message>
        <location line="-110"/>
        <location line="+128"/>
        <source>All numbers</source>
        <translation>Все номера</translation>
    </message>
    <message>
        <location line="+152"/>
        <source>Contacts</source>
        <translation>Контакты</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Messages</source>
        <translation>Сообщения</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Nothing found.</source>
        <translation>Ничего не найдено.</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>The inbox is not available: the engine did not start.</source>
        <translation>Входящие недоступны: движок не запустился.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No conversations yet. Messages your customers send appear here.</source>
        <translation>Чатов пока нет. Здесь появятся сообщения ваших клиентов.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No conversations match this filter.</source>
        <translation>Нет чатов, подходящих под этот фильтр.</translation>
    </message>
</context>
<context>
    <name>Inspector</name>
    <message>
        <location filename="../../wadesk/ui/flows/inspector.py" line="+274"/>
        <source>Select a node to edit it.</source>
        <translation>Выберите узел, чтобы изменить его.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Node id: %1</source>
        <translation>Id узла: %1</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>One per line</source>
        <translation>По одному в строке</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>name: value, one per line</source>
        <translation>имя: значение, по одному в строке</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>up to %1 characters</source>
        <translation>до %1 символов</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>A declared variable, or type a new name</source>
        <translation>Объявленная переменная или новое имя</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>— none —</source>
        <translation>— нет —</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Missing node “%1”</source>
        <translation>Нет узла «%1»</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Missing flow “%1”</source>
        <translation>Нет сценария «%1»</translation>
    </message>
</context>
<context>
    <name>ItemTable</name>
    <message>
        <location line="-302"/>
        <source>Add</source>
        <translation>Добавить</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>Убрать</translation>
    </message>
</context>
<context>
    <name>LabelNameDialog</name>
    <message>
        <location filename="../../wadesk/ui/settings/labels.py" line="+125"/>
        <source>&amp;Name</source>
        <translation>&amp;Название</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Give the label a name.</source>
        <translation>Дайте метке название.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A label named “%1” already exists.</source>
        <translation>Метка «%1» уже есть.</translation>
    </message>
</context>
<context>
    <name>LabelsModel</name>
    <message numerus="yes">
        <location line="-52"/>
        <source>%n conversation(s)</source>
        <translation>
            <numerusform>%n диалог</numerusform>
            <numerusform>%n диалога</numerusform>
            <numerusform>%n диалогов</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LabelsSection</name>
    <message>
        <location line="+162"/>
        <source>Not saved: %1</source>
        <translation>Не сохранено: %1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Label “%1” added.</source>
        <translation>Метка «%1» добавлена.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Renamed to “%1”.</source>
        <translation>Переименовано в «%1».</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>New colour for “%1”.</source>
        <translation>Новый цвет метки «%1».</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Label “%1” deleted.</source>
        <translation>Метка «%1» удалена.</translation>
    </message>
    <message numerus="yes">
        <location line="+7"/>
        <source>Delete the label “%1”? It is on %n conversation(s) and will be removed from them.</source>
        <translation>
            <numerusform>Удалить метку «%1»? Она стоит на %n диалоге и будет с него снята.</numerusform>
            <numerusform>Удалить метку «%1»? Она стоит на %n диалогах и будет с них снята.</numerusform>
            <numerusform>Удалить метку «%1»? Она стоит на %n диалогах и будет с них снята.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Delete the label “%1”? No conversation carries it.</source>
        <translation>Удалить метку «%1»? Ни на одном диалоге её нет.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Delete label</source>
        <translation>Удаление метки</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Rename label</source>
        <translation>Переименование метки</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New label</source>
        <translation>Новая метка</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Colour of “%1”</source>
        <translation>Цвет метки «%1»</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Labels</source>
        <translation>Метки</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Coloured labels for conversations; put them on in the contact panel.</source>
        <translation>Цветные метки для диалогов; ставятся в панели контакта.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your labels</source>
        <translation>Ваши метки</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;New label…</source>
        <translation>&amp;Новая метка…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Rename…</source>
        <translation>&amp;Переименовать…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change &amp;colour…</source>
        <translation>Изменить &amp;цвет…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Delete…</source>
        <translation>&amp;Удалить…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A label name has at most %1 characters.</source>
        <translation>Название метки — не длиннее %1 символов.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Labels are available once wadesk&apos;s database is open.</source>
        <translation>Метки доступны, когда база данных wadesk открыта.</translation>
    </message>
</context>
<context>
    <name>LogView</name>
    <message>
        <location filename="../../wadesk/ui/activity/log_view.py" line="+115"/>
        <source>The log is empty so far.</source>
        <translation>Журнал пока пуст.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Refresh</source>
        <translation>Обновить</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>wadesk does not write a log file in this mode.</source>
        <translation>В этом режиме wadesk не пишет файл журнала.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Log file: %1</source>
        <translation>Файл журнала: %1</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../wadesk/ui/main_window.py" line="+483"/>
        <source>wadesk — demo</source>
        <translation>wadesk — демо</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Demo on the built-in sandbox</source>
        <translation>Демо на встроенной песочнице</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>wadesk</source>
        <translation>wadesk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>WhatsApp Business desk</source>
        <translation>Рабочее место WhatsApp Business</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>В&amp;ыход</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About wadesk</source>
        <translation>&amp;О программе wadesk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dismiss</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>About wadesk</source>
        <translation>О программе wadesk</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Run a WhatsApp Business number from your computer: inbox, bots and webhooks, with your data kept on this machine.</source>
        <translation>Работайте с номером WhatsApp Business со своего компьютера: переписка, боты и вебхуки, а все данные остаются у вас.</translation>
    </message>
</context>
<context>
    <name>MessageDelegate</name>
    <message>
        <location filename="../../wadesk/ui/inbox/conversation/delegate.py" line="+201"/>
        <location line="+190"/>
        <source>Private note · not sent</source>
        <translation>Личная заметка · не отправляется</translation>
    </message>
    <message>
        <location line="-176"/>
        <source>This message was deleted</source>
        <translation>Сообщение удалено</translation>
    </message>
    <message>
        <location line="+258"/>
        <source>Resend</source>
        <translation>Отправить снова</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Retry</source>
        <translation>Повторить</translation>
    </message>
    <message>
        <location line="-166"/>
        <location line="+253"/>
        <source>Open in map</source>
        <translation>Открыть на карте</translation>
    </message>
    <message>
        <location line="-251"/>
        <location line="+251"/>
        <source>Open</source>
        <translation>Открыть</translation>
    </message>
    <message>
        <location line="-251"/>
        <location line="+251"/>
        <source>Save…</source>
        <translation>Сохранить…</translation>
    </message>
    <message>
        <location line="-105"/>
        <source>Photo</source>
        <translation>Фото</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Video</source>
        <translation>Видео</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Audio</source>
        <translation>Аудио</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Voice message</source>
        <translation>Голосовое сообщение</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Document</source>
        <translation>Документ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sticker</source>
        <translation>Стикер</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Location</source>
        <translation>Геопозиция</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contact card</source>
        <translation>Контакт</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Unsupported message (%1)</source>
        <translation>Неподдерживаемое сообщение (%1)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Download again</source>
        <translation>Скачать снова</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>WhatsApp did not send its content to wadesk.</source>
        <translation>WhatsApp не передал его содержимое в wadesk.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>downloading… %1</source>
        <translation>загрузка… %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>download failed</source>
        <translation>не удалось скачать</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>not downloaded yet</source>
        <translation>ещё не загружено</translation>
    </message>
</context>
<context>
    <name>MessageListModel</name>
    <message>
        <location filename="../../wadesk/ui/inbox/conversation/model.py" line="+68"/>
        <source>Today</source>
        <translation>Сегодня</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Yesterday</source>
        <translation>Вчера</translation>
    </message>
    <message>
        <location line="+295"/>
        <source>Original message not found</source>
        <translation>Исходное сообщение не найдено</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>You</source>
        <translation>Вы</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Customer</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <location line="+104"/>
        <source>Messages could not be loaded: %1</source>
        <translation>Не удалось загрузить сообщения: %1</translation>
    </message>
</context>
<context>
    <name>Messages</name>
    <message>
        <location filename="../../wadesk/ui/setup/messages.py" line="+20"/>
        <source>Valid {type} token that never expires, with both permissions.</source>
        <translation>Действующий токен {type} без срока действия, с обоими разрешениями.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{display} ({name}), quality {quality}, tier {tier}.</source>
        <translation>{display} ({name}), качество {quality}, уровень {tier}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{display}, quality {quality}, tier {tier}.</source>
        <translation>{display}, качество {quality}, уровень {tier}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Test number: sends only to up to 5 allowed recipients.</source>
        <translation>Тестовый номер: отправляет только 5 разрешённым получателям.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Phone Number ID {pnid} belongs to WhatsApp Business Account {waba}.</source>
        <translation>Phone Number ID {pnid} принадлежит бизнес-аккаунту WhatsApp {waba}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Subscribed apps: {apps}.</source>
        <translation>Подписанные приложения: {apps}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>App subscribed to the WABA.</source>
        <translation>Приложение подписано на бизнес-аккаунт.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Meta&apos;s verification request arrived at {time}; callback {callback}</source>
        <translation>Проверочный запрос Meta пришёл в {time}; адрес вебхука {callback}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>expires {when}</source>
        <translation>истекает {when}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Meta: {meta}, typed: {typed}</source>
        <translation>у Meta: {meta}, введено: {typed}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Test message accepted for +{to}.</source>
        <translation>Тестовое сообщение для +{to} принято.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ngrok could not be installed (no internet?). The webhook server keeps running; you can use your own public URL instead.</source>
        <translation>Не удалось установить ngrok (нет интернета?). Сервер вебхуков продолжает работать; вместо ngrok можно указать свой публичный адрес.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>ngrok is not installed (no program at {path}). The webhook server keeps running; you can use your own public URL instead.</source>
        <translation>ngrok не установлен (нет программы по пути {path}). Сервер вебхуков продолжает работать; вместо ngrok можно указать свой публичный адрес.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>ngrok rejected the authtoken: copy it again from your ngrok dashboard (Your Authtoken).</source>
        <translation>ngrok отклонил authtoken: скопируйте его заново в панели ngrok (Your Authtoken).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>ngrok needs an authtoken: sign up at ngrok.com, copy Your Authtoken from the dashboard and paste it into the connection settings.</source>
        <translation>ngrok нужен authtoken: зарегистрируйтесь на ngrok.com, скопируйте Your Authtoken в панели и вставьте его в настройки подключения.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The ngrok authtoken could not be read: {detail}</source>
        <translation>Не удалось прочитать authtoken ngrok: {detail}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The ngrok agent stopped unexpectedly.</source>
        <translation>Агент ngrok неожиданно остановился.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The ngrok tunnel closed unexpectedly.</source>
        <translation>Туннель ngrok неожиданно закрылся.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The ngrok agent stopped answering.</source>
        <translation>Агент ngrok перестал отвечать.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The ngrok agent could not be checked ({kind}).</source>
        <translation>Не удалось проверить агент ngrok ({kind}).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>(ngrok: {detail})</source>
        <translation>(ngrok: {detail})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ngrok failed: {detail}.</source>
        <translation>Ошибка ngrok: {detail}.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ngrok could not be started: {detail}.</source>
        <translation>Не удалось запустить ngrok: {detail}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ngrok failed unexpectedly ({kind}: {detail}).</source>
        <translation>Неожиданная ошибка ngrok ({kind}: {detail}).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The tunnel supervisor stopped ({kind}). Start the tunnel again.</source>
        <translation>Наблюдение за туннелем остановилось ({kind}). Запустите туннель снова.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Retrying in {delay} s.</source>
        <translation>Повтор через {delay} с.</translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message>
        <location filename="../../wadesk/ui/app.py" line="+158"/>
        <source>Inbox</source>
        <translation>Входящие</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bots</source>
        <translation>Боты</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Templates</source>
        <translation>Шаблоны</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Numbers</source>
        <translation>Номера</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Activity</source>
        <translation>Журнал</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
</context>
<context>
    <name>NumbersModel</name>
    <message>
        <location filename="../../wadesk/ui/numbers/model.py" line="+84"/>
        <source>Label</source>
        <translation>Название</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone</source>
        <translation>Телефон</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Active</source>
        <translation>Активен</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Checks</source>
        <translation>Проверки</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quality</source>
        <translation>Качество</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Messaging tier</source>
        <translation>Лимит сообщений</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Business-initiated, 24 h</source>
        <translation>Начатые бизнесом, 24 ч</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last webhook</source>
        <translation>Последний вебхук</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Callback</source>
        <translation>Обратный вызов</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>active</source>
        <translation>активен</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>inactive</source>
        <translation>отключён</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>%1 (test number)</source>
        <translation>%1 (тестовый номер)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>none yet</source>
        <translation>пока нет</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>registered</source>
        <translation>зарегистрирован</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>failed</source>
        <translation>ошибка</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>✓ passing</source>
        <translation>✓ пройдены</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>⚠ warnings</source>
        <translation>⚠ предупреждения</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>✗ failing</source>
        <translation>✗ ошибки</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>– not yet checked</source>
        <translation>– ещё не проверено</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>never checked</source>
        <translation>не проверялся</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Conversations you started (templates to distinct customers) in the last 24 hours, against the number&apos;s messaging limit.</source>
        <translation>Диалоги, начатые вами (шаблоны разным клиентам) за последние 24 часа, относительно лимита номера.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Last checked: %1</source>
        <translation>Последняя проверка: %1</translation>
    </message>
</context>
<context>
    <name>NumbersPage</name>
    <message>
        <location filename="../../wadesk/ui/numbers/page.py" line="+182"/>
        <source>Numbers</source>
        <translation>Номера</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add number…</source>
        <translation>Добавить номер…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Edit…</source>
        <translation>Изменить…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Re-run checks</source>
        <translation>Проверить снова</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Webhook and tunnel</source>
        <translation>Вебхук и туннель</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>For manual set-up in Meta&apos;s app dashboard: WhatsApp → Configuration → Webhook → Edit, paste the callback URL and the verify token, press “Verify and save”, then subscribe to the field “messages”.</source>
        <translation>Для ручной настройки в панели приложения Meta: WhatsApp → Configuration → Webhook → Edit, вставьте адрес обратного вызова и проверочный токен, нажмите «Verify and save», затем подпишитесь на поле «messages».</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Copy callback URL</source>
        <translation>Копировать адрес вызова</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy verify token</source>
        <translation>Копировать проверочный токен</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Restart tunnel</source>
        <translation>Перезапустить туннель</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connection settings…</source>
        <translation>Настройки подключения…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The engine is not running, so numbers cannot be shown.</source>
        <translation>Ядро не запущено, поэтому номера нельзя показать.</translation>
    </message>
    <message>
        <location line="+86"/>
        <location line="+5"/>
        <source>Tunnel: %1</source>
        <translation>Туннель: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Reason: %1</source>
        <translation>Причина: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not configured: add your ngrok authtoken or your own public URL in the connection settings.</source>
        <translation>Не настроен: добавьте authtoken ngrok или свой публичный адрес в настройках подключения.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>✓ %1: callback registered</source>
        <translation>✓ %1: вебхук зарегистрирован</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>✗ %1: %2</source>
        <translation>✗ %1: %2</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Activate</source>
        <translation>Включить</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Deactivate</source>
        <translation>Отключить</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Saved “%1”.</source>
        <translation>«%1» сохранён.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Remove number</source>
        <translation>Удалить номер</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Remove “%1”? Its access token and app secret are deleted from the keyring.</source>
        <translation>Удалить «%1»? Его токен доступа и секрет приложения будут удалены из хранилища ключей.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>“%1” has conversations, so it was not removed. Deactivate it instead.</source>
        <translation>У «%1» есть диалоги, поэтому он не удалён. Отключите его вместо удаления.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Could not remove “%1”: %2</source>
        <translation>Не удалось удалить «%1»: %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Removed “%1”.</source>
        <translation>«%1» удалён.</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>No access token is stored for “%1”: edit the number.</source>
        <translation>Для «%1» не сохранён токен доступа: измените номер.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Checking “%1”…</source>
        <translation>Проверка «%1»…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Checks of “%1” finished.</source>
        <translation>Проверка «%1» завершена.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Callback URL copied.</source>
        <translation>Адрес вызова скопирован.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Verify token copied.</source>
        <translation>Проверочный токен скопирован.</translation>
    </message>
</context>
<context>
    <name>Palette</name>
    <message>
        <location filename="../../wadesk/ui/flows/palette.py" line="+55"/>
        <source>Start</source>
        <translation>Запуск</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Messages</source>
        <translation>Сообщения</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Logic</source>
        <translation>Логика</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Integrations</source>
        <translation>Интеграции</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>People</source>
        <translation>Люди</translation>
    </message>
</context>
<context>
    <name>PlaceholderPage</name>
    <message>
        <location filename="../../wadesk/ui/pages/placeholder.py" line="+71"/>
        <source>This section is on its way.</source>
        <translation>Этот раздел скоро появится.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Inbox</source>
        <translation>Входящие</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your WhatsApp conversations will appear here: chats with unread counts, search, delivery ticks and the 24-hour reply window.</source>
        <translation>Здесь будут ваши чаты WhatsApp: непрочитанные сообщения, поиск, галочки доставки и 24-часовое окно для ответа.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Bots</source>
        <translation>Боты</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Build automatic replies visually: greetings, menus with buttons, questions, and handing the chat over to a person.</source>
        <translation>Настраивайте автоответы наглядно: приветствия, меню с кнопками, вопросы и передача чата сотруднику.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Templates</source>
        <translation>Шаблоны</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Message templates approved by Meta, with a live preview, for writing to customers outside the 24-hour window.</source>
        <translation>Шаблоны сообщений, одобренные Meta, с предпросмотром — чтобы писать клиентам вне 24-часового окна.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Numbers</source>
        <translation>Номера</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connect your WhatsApp Business numbers and check that webhooks reach this computer.</source>
        <translation>Подключите номера WhatsApp Business и проверьте, что вебхуки доходят до этого компьютера.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Activity</source>
        <translation>Журнал</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Every webhook received, its signature check, and what wadesk did with it.</source>
        <translation>Все полученные вебхуки, проверка их подписи и то, что wadesk с ними сделал.</translation>
    </message>
</context>
<context>
    <name>ProblemsList</name>
    <message>
        <location filename="../../wadesk/ui/flows/problems.py" line="+36"/>
        <source>✓ No problems found.</source>
        <translation>✓ Проблем нет.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>flow</source>
        <translation>сценарий</translation>
    </message>
</context>
<context>
    <name>QuickRepliesModel</name>
    <message>
        <location filename="../../wadesk/ui/settings/quick_replies.py" line="+103"/>
        <source>Shortcut</source>
        <translation>Сокращение</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Text</source>
        <translation>Текст</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Attachment</source>
        <translation>Вложение</translation>
    </message>
</context>
<context>
    <name>QuickRepliesSection</name>
    <message>
        <location line="+236"/>
        <location line="+3"/>
        <source>Not saved: %1</source>
        <translation>Не сохранено: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>The quick replies could not be read: %1</source>
        <translation>Не удалось прочитать быстрые ответы: %1</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Saved.</source>
        <translation>Сохранено.</translation>
    </message>
    <message>
        <location line="+23"/>
        <location line="+47"/>
        <source>Deleted /%1.</source>
        <translation>/%1 удалён.</translation>
    </message>
    <message>
        <location line="-33"/>
        <source>/%1 cannot come back: the shortcut is used again.</source>
        <translation>/%1 нельзя вернуть: это сокращение уже снова занято.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Restored /%1.</source>
        <translation>/%1 возвращён.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Quick replies</source>
        <translation>Быстрые ответы</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Saved answers: type / in the message box to pick one. Saved at once.</source>
        <translation>Заготовленные ответы: наберите / в поле сообщения, чтобы выбрать. Сохраняются сразу.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your quick replies</source>
        <translation>Ваши быстрые ответы</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Add…</source>
        <translation>&amp;Добавить…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Edit…</source>
        <translation>&amp;Изменить…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Delete</source>
        <translation>&amp;Удалить</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Undo</source>
        <translation>&amp;Отменить</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>At most %1 quick replies; {{name}} is replaced by the contact&apos;s name.</source>
        <translation>Не больше %1 быстрых ответов; {{name}} заменяется именем контакта.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Quick replies are available once wadesk has a data folder.</source>
        <translation>Быстрые ответы доступны, когда у wadesk есть папка с данными.</translation>
    </message>
</context>
<context>
    <name>QuickReplyDialog</name>
    <message>
        <location line="-354"/>
        <source>Quick reply</source>
        <translation>Быстрый ответ</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New quick reply</source>
        <translation>Новый быстрый ответ</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>e.g. hours</source>
        <translation>например, hours</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hello {{name}}! We are open 9:00–18:00.</source>
        <translation>Здравствуйте, {{name}}! Мы работаем с 9:00 до 18:00.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No attachment</source>
        <translation>Без вложения</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Browse…</source>
        <translation>&amp;Обзор…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>&amp;Shortcut</source>
        <translation>&amp;Сокращение</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Te&amp;xt</source>
        <translation>&amp;Текст</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Attachment</source>
        <translation>&amp;Вложение</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{{name}} and {{phone}} are filled in from the contact when you insert it.</source>
        <translation>{{name}} и {{phone}} подставляются из контакта при вставке.</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>A shortcut is 1 to %1 letters, digits, &apos;_&apos; or &apos;-&apos;, without spaces.</source>
        <translation>Сокращение — от 1 до %1 букв, цифр, &apos;_&apos; или &apos;-&apos;, без пробелов.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The shortcut /%1 is already used by another quick reply.</source>
        <translation>Сокращение /%1 уже занято другим быстрым ответом.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Type the text of the reply (or attach a file).</source>
        <translation>Введите текст ответа (или приложите файл).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The text is too long: WhatsApp takes at most %1 characters.</source>
        <translation>Текст слишком длинный: WhatsApp принимает не больше %1 символов.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>The attachment cannot be sent: %1</source>
        <translation>Вложение нельзя отправить: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The attachment cannot be read: %1</source>
        <translation>Вложение не читается: %1</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Choose an attachment</source>
        <translation>Выберите вложение</translation>
    </message>
</context>
<context>
    <name>RawEventModel</name>
    <message>
        <location filename="../../wadesk/ui/activity/model.py" line="+161"/>
        <source>#</source>
        <translation>№</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Number</source>
        <translation>Номер</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type</source>
        <translation>Тип</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signature</source>
        <translation>Подпись</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Result</source>
        <translation>Результат</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Detail</source>
        <translation>Подробности</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>signed</source>
        <translation>подписано</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no signature</source>
        <translation>нет подписи</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>bad signature</source>
        <translation>неверная подпись</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no app secret</source>
        <translation>нет секрета приложения</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>pending</source>
        <translation>в обработке</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>applied</source>
        <translation>применено</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>rejected</source>
        <translation>отклонено</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unknown number</source>
        <translation>неизвестный номер</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>error</source>
        <translation>ошибка</translation>
    </message>
</context>
<context>
    <name>SendTemplateDialog</name>
    <message>
        <location filename="../../wadesk/ui/templates/send_dialog.py" line="+143"/>
        <source>Send a template</source>
        <translation>Отправка шаблона</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send “%1”</source>
        <translation>Отправить «%1»</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To: pick a contact or type a phone number</source>
        <translation>Кому: выберите контакт или введите номер телефона</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name or phone with country code, e.g. +1 555…</source>
        <translation>Имя или номер с кодом страны, например +7 916…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send</source>
        <translation>Отправить</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open conversation</source>
        <translation>Открыть переписку</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>Sending to %1</source>
        <translation>Получатель: %1</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Pick a contact from the list, or type a phone number with its country code, e.g. +1 555 010 0001.</source>
        <translation>Выберите контакт из списка или введите номер телефона с кодом страны, например +7 916 123-45-67.</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Queued: it goes out in the background; its ticks show in the conversation.</source>
        <translation>В очереди: сообщение уйдёт в фоне, галочки статуса видны в переписке.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <location filename="../../wadesk/ui/settings/page.py" line="+153"/>
        <source>General</source>
        <translation>Общие</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quick replies</source>
        <translation>Быстрые ответы</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Labels</source>
        <translation>Метки</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connection</source>
        <translation>Подключение</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Backup</source>
        <translation>Резервная копия</translation>
    </message>
</context>
<context>
    <name>SetupDialog</name>
    <message>
        <location filename="../../wadesk/ui/setup/wizard.py" line="+199"/>
        <source>Edit number</source>
        <translation>Изменить номер</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add a WhatsApp number</source>
        <translation>Добавить номер WhatsApp</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copy these values from Meta&apos;s app dashboard: WhatsApp → API Setup (Phone Number ID, WhatsApp Business Account ID, token) and App settings → Basic (app secret). Secrets are kept in the system keyring, never in wadesk&apos;s files.</source>
        <translation>Скопируйте эти значения из панели приложения Meta: WhatsApp → API Setup (Phone Number ID, ID бизнес-аккаунта WhatsApp, токен) и App settings → Basic (секрет приложения). Секреты хранятся в системном хранилище ключей, никогда в файлах wadesk.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Number</source>
        <translation>Номер</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Label</source>
        <translation>Название</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Phone number</source>
        <translation>Номер телефона</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+134"/>
        <source>Phone Number ID</source>
        <translation>Phone Number ID</translation>
    </message>
    <message>
        <location line="-133"/>
        <location line="+134"/>
        <source>WhatsApp Business Account ID</source>
        <translation>ID бизнес-аккаунта WhatsApp</translation>
    </message>
    <message>
        <location line="-133"/>
        <source>Access token</source>
        <translation>Токен доступа</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>App secret</source>
        <translation>Секрет приложения</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Test recipient (optional)</source>
        <translation>Тестовый получатель (необязательно)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>e.g. Salon</source>
        <translation>например, Салон</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>+1 555 010 0001</source>
        <translation>+7 916 123 45 67</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>digits only, e.g. 106540352242922</source>
        <translation>только цифры, например 106540352242922</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>digits only, e.g. 102290129340398</source>
        <translation>только цифры, например 102290129340398</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+15"/>
        <location line="+65"/>
        <source>stored — leave empty to keep it</source>
        <translation>сохранён — оставьте пустым, чтобы не менять</translation>
    </message>
    <message>
        <location line="-79"/>
        <source>EAAG…</source>
        <translation>EAAG…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>your own WhatsApp number: the check sends it the hello_world template</source>
        <translation>ваш номер WhatsApp: проверка отправит на него шаблон hello_world</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Connection (tunnel)</source>
        <translation>Подключение (туннель)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ngrok authtoken</source>
        <translation>authtoken ngrok</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Meta delivers messages to a public address; ngrok gives this computer one. Sign up for a free ngrok account, open the ngrok dashboard and copy the value shown under “Your Authtoken”.</source>
        <translation>Meta доставляет сообщения на публичный адрес; ngrok даёт такой адрес этому компьютеру. Зарегистрируйте бесплатный аккаунт ngrok, откройте панель ngrok и скопируйте значение из раздела «Your Authtoken».</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reserved domain (optional)</source>
        <translation>Зарезервированный домен (необязательно)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>e.g. my-salon.ngrok.app</source>
        <translation>например, my-salon.ngrok.app</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use my own public URL instead of ngrok</source>
        <translation>Использовать свой публичный адрес вместо ngrok</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Public URL</source>
        <translation>Публичный адрес</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>https://hooks.example.com</source>
        <translation>https://hooks.example.com</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Live checks</source>
        <translation>Проверки</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>“Check” asks Meta about the token, the number and the account, registers the webhook and waits for Meta&apos;s verification request to arrive here.</source>
        <translation>«Проверить» запрашивает у Meta сведения о токене, номере и аккаунте, регистрирует вебхук и ждёт, пока сюда придёт проверочный запрос Meta.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Check</source>
        <translation>Проверить</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save</source>
        <translation>Сохранить</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>Закрыть</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>The public URL must start with https:// (Meta only calls HTTPS addresses).</source>
        <translation>Публичный адрес должен начинаться с https:// (Meta обращается только к HTTPS-адресам).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>This is not a domain name (expected e.g. my-salon.ngrok.app).</source>
        <translation>Это не доменное имя (ожидается, например, my-salon.ngrok.app).</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The public URL must not contain “?” or “#”.</source>
        <translation>Публичный адрес не должен содержать «?» или «#».</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>No secure credential store (system keyring) is available, so nothing was saved. %1</source>
        <translation>Нет безопасного хранилища ключей (системного), поэтому ничего не сохранено. %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Could not save: %1</source>
        <translation>Не удалось сохранить: %1</translation>
    </message>
    <message>
        <location line="+17"/>
        <location line="+26"/>
        <source>access token</source>
        <translation>токен доступа</translation>
    </message>
    <message>
        <location line="-24"/>
        <source>app secret</source>
        <translation>секрет приложения</translation>
    </message>
    <message>
        <location line="+56"/>
        <location line="+45"/>
        <source>Fix the fields marked in red first.</source>
        <translation>Сначала исправьте поля, отмеченные красным.</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>Some checks failed: see the advice next to each ✗.</source>
        <translation>Некоторые проверки не пройдены: смотрите советы рядом с каждым ✗.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not everything could be checked (no connection?). You can save now; wadesk checks again when the network returns.</source>
        <translation>Проверить удалось не всё (нет связи?). Можно сохранить сейчас; wadesk проверит снова, когда появится сеть.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Works, with warnings: see the advice next to each ⚠.</source>
        <translation>Работает, но с предупреждениями: смотрите советы рядом с каждым ⚠.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>All checks passed.</source>
        <translation>Все проверки пройдены.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>No secure credential store (system keyring) is available, so the number was not saved (wadesk never keeps secrets in plain files). %1</source>
        <translation>Нет безопасного хранилища ключей (системного), поэтому номер не сохранён (wadesk никогда не хранит секреты в обычных файлах). %1</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>A number with this label or Phone Number ID already exists. Pick another label, or edit the existing number.</source>
        <translation>Номер с таким названием или Phone Number ID уже есть. Выберите другое название или измените существующий номер.</translation>
    </message>
</context>
<context>
    <name>SetupFields</name>
    <message>
        <location filename="../../wadesk/ui/setup/fields.py" line="+20"/>
        <source>Give the number a label, e.g. “Salon”.</source>
        <translation>Дайте номеру название, например «Салон».</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Enter the phone number with the country code, e.g. +1 555 010 0001.</source>
        <translation>Введите номер телефона с кодом страны, например +7 916 123 45 67.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This is not a phone number: write it with the country code, e.g. +1 555 010 0001.</source>
        <translation>Это не номер телефона: напишите его с кодом страны, например +7 916 123 45 67.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Enter the %1.</source>
        <translation>Введите %1.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The %1 must be digits only: remove the spaces and dashes.</source>
        <translation>%1 — только цифры: уберите пробелы и дефисы.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The %1 must be digits only (copy it from Meta&apos;s dashboard: WhatsApp → API Setup).</source>
        <translation>%1 — только цифры (скопируйте из панели Meta: WhatsApp → API Setup).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>The %1 looks too short or too long (%2 digits).</source>
        <translation>%1 слишком короткий или длинный (%2 цифр).</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+2"/>
        <source>Paste the %1.</source>
        <translation>Вставьте %1.</translation>
    </message>
</context>
<context>
    <name>Simulator</name>
    <message>
        <location filename="../../wadesk/ui/flows/simulator.py" line="+143"/>
        <source>Simulator — draft</source>
        <translation>Симулятор — черновик</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Restart</source>
        <translation>Заново</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Mocked JSON response, e.g. {&quot;ok&quot;: true}</source>
        <translation>Ответ-заглушка в JSON, например {&quot;ok&quot;: true}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Use this response</source>
        <translation>Использовать этот ответ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fail the request</source>
        <translation>Запрос с ошибкой</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Call it for real…</source>
        <translation>Выполнить по-настоящему…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Type a message as the customer…</source>
        <translation>Напишите сообщение от имени клиента…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Send</source>
        <translation>Отправить</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Variable</source>
        <translation>Переменная</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>Значение</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Variables</source>
        <translation>Переменные</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trace</source>
        <translation>Трасса</translation>
    </message>
    <message>
        <location line="+100"/>
        <source>Send a message to start the draft (e.g. a trigger keyword).</source>
        <translation>Отправьте сообщение, чтобы запустить черновик (например, ключевое слово запуска).</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>The bot is waiting for the HTTP request; answer it below first.</source>
        <translation>Бот ждёт HTTP-запрос; сначала ответьте на него ниже.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No trigger of this flow matches this message.</source>
        <translation>Ни один запуск сценария не подходит к этому сообщению.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The flow failed here: %1</source>
        <translation>Сценарий сломался здесь: %1</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Template “%1” (%2)</source>
        <translation>Шаблон «%1» (%2)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Handed off to a person: %1</source>
        <translation>Передано человеку: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Delay of %1 s skipped in the simulator.</source>
        <translation>Пауза %1 с пропущена в симуляторе.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The bot waits up to %1 s for an answer.</source>
        <translation>Бот ждёт ответа до %1 с.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Contact field %1 = %2</source>
        <translation>Поле контакта %1 = %2</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Label removed: %1</source>
        <translation>Метка снята: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Label added: %1</source>
        <translation>Метка добавлена: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Would start flow %1.</source>
        <translation>Здесь запустится сценарий %1.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The conversation with the bot ended.</source>
        <translation>Разговор с ботом закончен.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>WhatsApp would reject this message: %1</source>
        <translation>WhatsApp отклонит это сообщение: %1</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>HTTP request: %1 %2 %3</source>
        <translation>HTTP-запрос: %1 %2 %3</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The mocked response is not valid JSON.</source>
        <translation>Ответ-заглушка — некорректный JSON.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Request answered: %1</source>
        <translation>Ответ на запрос: %1</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Call for real?</source>
        <translation>Выполнить по-настоящему?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The simulator will really send %1 %2. Continue?</source>
        <translation>Симулятор действительно отправит %1 %2. Продолжить?</translation>
    </message>
</context>
<context>
    <name>Sizes</name>
    <message>
        <location filename="../../wadesk/ui/sizes.py" line="+20"/>
        <source>%1 B</source>
        <translation>%1 Б</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 KB</source>
        <translation>%1 КБ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 MB</source>
        <translation>%1 МБ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1 GB</source>
        <translation>%1 ГБ</translation>
    </message>
</context>
<context>
    <name>StatusPanel</name>
    <message>
        <location filename="../../wadesk/ui/main_window.py" line="-373"/>
        <source>Server: starting…</source>
        <translation>Сервер: запускается…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server: listening on %1</source>
        <translation>Сервер: принимает запросы на %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Server: stopped</source>
        <translation>Сервер: остановлен</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Server: not running</source>
        <translation>Сервер: не работает</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tunnel: not started</source>
        <translation>Туннель: не запущен</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tunnel: connecting…</source>
        <translation>Туннель: подключается…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tunnel: %1</source>
        <translation>Туннель: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tunnel: failed</source>
        <translation>Туннель: ошибка</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>none yet</source>
        <translation>пока не было</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Last webhook: %1</source>
        <translation>Последний вебхук: %1</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Errors: %1</source>
        <translation>Ошибки: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The local address Meta&apos;s webhooks are forwarded to (through the tunnel).</source>
        <translation>Локальный адрес, на который туннель пересылает вебхуки Meta.</translation>
    </message>
</context>
<context>
    <name>TemplateForm</name>
    <message>
        <location filename="../../wadesk/ui/templates/form.py" line="+321"/>
        <source>Header %1 link (https)</source>
        <translation>Ссылка на %1 в заголовке (https)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Button %1 link suffix</source>
        <translation>Окончание ссылки кнопки %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Header {{%1}}</source>
        <translation>Заголовок {{%1}}</translation>
    </message>
</context>
<context>
    <name>TemplatePanel</name>
    <message>
        <location filename="../../wadesk/ui/inbox/conversation/templates.py" line="+87"/>
        <source>The 24-hour window is closed: the customer has not written for more than a day, so WhatsApp only lets you send an approved template until they write again.</source>
        <translation>24-часовое окно закрыто: клиент не писал больше суток, поэтому WhatsApp разрешает отправить только одобренный шаблон, пока клиент не напишет снова.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Send template</source>
        <translation>Отправить шаблон</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Sync templates first (Templates page)</source>
        <translation>Сначала синхронизируйте шаблоны (страница «Шаблоны»)</translation>
    </message>
</context>
<context>
    <name>TemplatePreview</name>
    <message>
        <location filename="../../wadesk/ui/templates/form.py" line="-120"/>
        <source>Image</source>
        <translation>Изображение</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Video</source>
        <translation>Видео</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Document</source>
        <translation>Документ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Location</source>
        <translation>Геопозиция</translation>
    </message>
</context>
<context>
    <name>TemplateTableModel</name>
    <message>
        <location filename="../../wadesk/ui/templates/model.py" line="+43"/>
        <source>Approved</source>
        <translation>Одобрен</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pending review</source>
        <translation>На проверке</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In appeal</source>
        <translation>Обжалуется</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rejected</source>
        <translation>Отклонён</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paused</source>
        <translation>Приостановлен</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Disabled</source>
        <translation>Отключён</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Being deleted</source>
        <translation>Удаляется</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Marketing</source>
        <translation>Маркетинг</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Utility</source>
        <translation>Сервисный</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Authentication</source>
        <translation>Аутентификация</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+1"/>
        <source>High</source>
        <translation>Высокое</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Medium</source>
        <translation>Среднее</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Low</source>
        <translation>Низкое</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+3"/>
        <source>Not rated yet</source>
        <translation>Ещё не оценено</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>abusive content</source>
        <translation>оскорбительное содержание</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>invalid format (variables, length or characters)</source>
        <translation>неверный формат (переменные, длина или символы)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>promotional content in a non-marketing category</source>
        <translation>рекламное содержание в немаркетинговой категории</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the content does not match the category</source>
        <translation>содержание не соответствует категории</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>looks like a scam</source>
        <translation>похоже на мошенничество</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>wrong category</source>
        <translation>неверная категория</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Name</source>
        <translation>Название</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Category</source>
        <translation>Категория</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>Статус</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quality</source>
        <translation>Качество</translation>
    </message>
</context>
<context>
    <name>TemplatesPage</name>
    <message>
        <location filename="../../wadesk/ui/templates/page.py" line="+231"/>
        <source>Templates</source>
        <translation>Шаблоны</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Message templates approved by WhatsApp are the only messages you may send outside the 24-hour window. Create them in WhatsApp Manager, then sync them here.</source>
        <translation>Вне 24-часового окна можно отправлять только шаблоны сообщений, одобренные WhatsApp. Создайте их в WhatsApp Manager, затем синхронизируйте здесь.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Search by name, language or category</source>
        <translation>Поиск по названию, языку или категории</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>All statuses</source>
        <translation>Все статусы</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approved</source>
        <translation>Одобренные</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pending</source>
        <translation>На проверке</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rejected</source>
        <translation>Отклонённые</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Paused</source>
        <translation>Приостановленные</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+1"/>
        <source>Sync now</source>
        <translation>Синхронизировать</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send to a contact…</source>
        <translation>Отправить контакту…</translation>
    </message>
    <message>
        <location line="+103"/>
        <source>Templates are not available</source>
        <translation>Шаблоны недоступны</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The engine did not start.</source>
        <translation>Движок не запустился.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No numbers yet</source>
        <translation>Номеров пока нет</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add a WhatsApp number on the Numbers page, then sync its templates.</source>
        <translation>Добавьте номер WhatsApp на странице «Номера», затем синхронизируйте его шаблоны.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No templates yet — Sync now</source>
        <translation>Шаблонов пока нет — синхронизируйте</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Fetch this number&apos;s message templates from your WhatsApp Business Account.</source>
        <translation>Загрузите шаблоны сообщений этого номера из вашего WhatsApp Business Account.</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>WhatsApp is still reviewing this template; it can be sent once it is approved (usually within a day).</source>
        <translation>WhatsApp ещё проверяет этот шаблон; его можно будет отправить после одобрения (обычно в течение суток).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>WhatsApp rejected this template, so it cannot be sent. Edit it in WhatsApp Manager and submit it again (or appeal), then sync.</source>
        <translation>WhatsApp отклонил этот шаблон, поэтому его нельзя отправить. Исправьте его в WhatsApp Manager и отправьте на проверку снова (или обжалуйте), затем синхронизируйте.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>WhatsApp paused this template because customers reported or blocked it; it cannot be sent until the pause ends.</source>
        <translation>WhatsApp приостановил этот шаблон, потому что клиенты жаловались на него или блокировали; отправить его можно будет после окончания паузы.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Only approved templates can be sent; this one is %1.</source>
        <translation>Отправлять можно только одобренные шаблоны; статус этого: %1.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>quality: %1</source>
        <translation>качество: %1</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>Syncing templates…</source>
        <translation>Синхронизация шаблонов…</translation>
    </message>
    <message numerus="yes">
        <location line="+14"/>
        <source>Synced: %n template(s).</source>
        <translation>
            <numerusform>Синхронизирован %n шаблон.</numerusform>
            <numerusform>Синхронизировано %n шаблона.</numerusform>
            <numerusform>Синхронизировано %n шаблонов.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrayController</name>
    <message>
        <location filename="../../wadesk/ui/tray.py" line="+89"/>
        <source>Show wadesk</source>
        <translation>Показать wadesk</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quit</source>
        <translation>Выход</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>wadesk: receiving WhatsApp messages</source>
        <translation>wadesk: принимает сообщения WhatsApp</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>New messages: %1</source>
        <translation>Новых сообщений: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>wadesk</source>
        <translation>wadesk</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>New messages: %1 (chats: %2)</source>
        <translation>Новых сообщений: %1 (чатов: %2)</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>A customer</source>
        <translation>Клиент</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 needs a person: %2</source>
        <translation>%1 нужен человек: %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 needs a person</source>
        <translation>%1 нужен человек</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A bot handed a chat over to you</source>
        <translation>Бот передал вам чат</translation>
    </message>
</context>
<context>
    <name>Tunnel</name>
    <message>
        <location filename="../../wadesk/ui/setup/common.py" line="+7"/>
        <source>not started</source>
        <translation>не запущен</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>starting…</source>
        <translation>запускается…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>up</source>
        <translation>работает</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>down</source>
        <translation>не работает</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>own public URL</source>
        <translation>свой публичный адрес</translation>
    </message>
</context>
<context>
    <name>VariablesModel</name>
    <message>
        <location filename="../../wadesk/ui/flows/variables.py" line="+111"/>
        <source>Name</source>
        <translation>Имя</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Default value</source>
        <translation>По умолчанию</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Description</source>
        <translation>Описание</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Change a variable&apos;s default</source>
        <translation>Изменить значение переменной по умолчанию</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Describe a variable</source>
        <translation>Описать переменную</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>“%1” is not a valid variable name: use letters, digits and _, starting with a letter.</source>
        <translation>«%1» — недопустимое имя переменной: используйте латинские буквы, цифры и _, начиная с буквы.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>There is already a variable “%1”.</source>
        <translation>Переменная «%1» уже есть.</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Declare a variable</source>
        <translation>Объявить переменную</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Rename a variable</source>
        <translation>Переименовать переменную</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Delete a variable</source>
        <translation>Удалить переменную</translation>
    </message>
</context>
<context>
    <name>VariablesPanel</name>
    <message>
        <location line="+68"/>
        <source>Variables hold what the customer answers or what the bot sets; use them in texts as {{name}}.</source>
        <translation>В переменных хранится то, что ответил клиент или задал бот; в текстах пишите их как {{name}}.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Add</source>
        <translation>Добавить</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Declare “%1”</source>
        <translation>Объявить «%1»</translation>
    </message>
</context>
<context>
    <name>WadeskApp</name>
    <message>
        <location filename="../../wadesk/ui/app.py" line="-28"/>
        <source>The webhook server could not start: port %1 is already used by another program (perhaps another wadesk). Close that program and restart wadesk.</source>
        <translation>Не удалось запустить сервер вебхуков: порт %1 уже занят другой программой (возможно, ещё одной копией wadesk). Закройте её и перезапустите wadesk.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>wadesk could not open its files: %1</source>
        <translation>wadesk не может открыть свои файлы: %1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>wadesk could not start: %1</source>
        <translation>Не удалось запустить wadesk: %1</translation>
    </message>
    <message>
        <location line="+148"/>
        <source>Demo mode: wadesk runs on its built-in sandbox; nothing is sent to WhatsApp.</source>
        <translation>Демо-режим: wadesk работает на встроенной песочнице, в WhatsApp ничего не отправляется.</translation>
    </message>
    <message>
        <location line="-157"/>
        <location line="+190"/>
        <source>No secure credential store (system keyring) is available, so wadesk cannot keep access tokens. %1</source>
        <translation>Нет защищённого хранилища паролей (системной связки ключей), поэтому wadesk не может хранить токены доступа. %1</translation>
    </message>
</context>
</TS>
