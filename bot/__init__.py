"""Amiable: French amicable debt-collection assistant built on Rasa Open Source 3.6."""
