<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../wadesk/ui/main_window.py" line="+453"/>
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
    <name>Navigation</name>
    <message>
        <location filename="../../wadesk/ui/app.py" line="+109"/>
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
    <name>SettingsPage</name>
    <message>
        <location filename="../../wadesk/ui/pages/settings_page.py" line="+197"/>
        <source>Settings</source>
        <translation>Настройки</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Changes apply immediately.</source>
        <translation>Изменения применяются сразу.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Appearance</source>
        <translation>Внешний вид</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>When the window is closed</source>
        <translation>Когда окно закрыто</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>About</source>
        <translation>О программе</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language</source>
        <translation>Язык</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Theme</source>
        <translation>Тема</translation>
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
        <location line="+2"/>
        <source>Keep running in the tray when the window is closed</source>
        <translation>Продолжать работу в трее после закрытия окна</translation>
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
    <name>StatusPanel</name>
    <message>
        <location filename="../../wadesk/ui/main_window.py" line="-349"/>
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
    <name>TrayController</name>
    <message>
        <location filename="../../wadesk/ui/tray.py" line="+78"/>
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
        <location line="+30"/>
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
        <location line="+109"/>
        <source>Demo mode: wadesk runs on its built-in sandbox; nothing is sent to WhatsApp.</source>
        <translation>Демо-режим: wadesk работает на встроенной песочнице, в WhatsApp ничего не отправляется.</translation>
    </message>
    <message>
        <location line="-118"/>
        <location line="+150"/>
        <source>No secure credential store (system keyring) is available, so wadesk cannot keep access tokens. %1</source>
        <translation>Нет защищённого хранилища паролей (системной связки ключей), поэтому wadesk не может хранить токены доступа. %1</translation>
    </message>
</context>
</TS>
