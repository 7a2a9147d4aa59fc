"""Project commands (COMMANDS_MODULE): `scrapy crawl` with argument checks, a lock and an exit status."""
