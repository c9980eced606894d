enum _PlaceholderAnonymization {}
