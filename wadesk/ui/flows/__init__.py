"""The visual bot-flow editor (canvas, commands, palette, inspector, problems, simulator) and the
Bots page with the flow list. The canvas follows orange-canvas-core: undo commands change the
`wadesk.flow.Flow` model only, and the scene observes the model's signals.
"""
