"""Views of the surveys app, one module per audience: `answer` (the person, through a link
with no sign-in), `calls` (staff filling in a survey during a call, the invitations list) and
`staff` (the quality officer: building surveys, results, follow-ups, improvement actions)."""
