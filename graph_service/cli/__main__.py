from graph_service.cli import app

app()
