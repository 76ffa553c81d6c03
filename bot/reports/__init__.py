"""Reports for the team lead: KPIs computed from the case store, as text, JSON or one HTML page."""
