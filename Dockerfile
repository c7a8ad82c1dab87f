# syntax=docker/dockerfile:1
# Build stage: install the package into a virtual environment and compile translations.
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY pyproject.toml README.md ./
COPY app ./app
# Install the dependencies only; the app runs from /srv/whyiact beside its
# migrations and translations. `--build-arg EXTRAS=dp` adds OpenDP (about 265 MB)
# for differential privacy on organizer figures (docs/privacy.md).
ARG EXTRAS=
RUN pip install ".${EXTRAS:+[$EXTRAS]}" && pip uninstall --yes whyiact
COPY babel.cfg ./
COPY translations ./translations
RUN if ls translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
      pybabel compile -d translations; fi
# Compressed copies of the static files, served by WhiteNoise.
RUN python -m whitenoise.compress app/static

# Run stage: no compilers, no sources beyond what runs, a user without privileges.
FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN useradd --system --uid 10001 --home-dir /srv/whyiact --create-home whyiact
WORKDIR /srv/whyiact
COPY --from=build /opt/venv /opt/venv
COPY --from=build /src/translations ./translations
COPY --from=build /src/app ./app
COPY migrations ./migrations
COPY gunicorn.conf.py ./
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
USER whyiact
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"
ENTRYPOINT ["docker-entrypoint.sh"]
# Sync workers behind a buffering proxy: gthread let one worker hoard keep-alive
# connections in our measurements (shared/BUDGETS.md).
ENV GUNICORN_BIND=0.0.0.0:8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "app:create_app()"]
