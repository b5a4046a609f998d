enum PlaceholderMatching {}
