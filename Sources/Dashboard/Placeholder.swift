enum PlaceholderDashboard {}
