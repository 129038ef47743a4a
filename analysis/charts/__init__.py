"""The book's charts and tables: Altair builders, the theme and the offline renderer."""
