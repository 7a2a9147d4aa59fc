"""Project commands: `scrapy crawl` with argument checks, a run lock and an exit status."""
