"""The portal's views by area: `public` (no sign-in), `auth` (sign-in, consent, home),
`account` (profile, documents, notifications, my data), `requests` (apply and follow my
requests), `tickets` (my inquiries, complaints and suggestions)."""
