#!/bin/sh
# Apply migrations, then hand over to the server (gunicorn by default).
set -e
flask --app app db upgrade
exec "$@"
