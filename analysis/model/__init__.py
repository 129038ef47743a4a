"""The five-year model: projection, interventions, Monte Carlo, finance, workforce and estates."""
