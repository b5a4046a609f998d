enum PlaceholderAPI {}
