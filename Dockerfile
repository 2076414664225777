# Production image: one image for web, worker, beat and the one-off migrate job.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    VAR_DIR=/app/var

RUN pip install --no-cache-dir uv==0.13.9 \
    && useradd --create-home --uid 1000 app

WORKDIR /app
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --locked --no-dev --no-install-project

COPY . .
# collectstatic needs settings, and settings need a key; this one exists only for the build.
RUN SECRET_KEY="collectstatic-only-$(python -c 'import secrets; print(secrets.token_urlsafe(48))')" \
    python manage.py collectstatic --no-input \
    && mkdir -p /app/var && chown -R app:app /app/var

USER app
EXPOSE 8000
# gunicorn reads FORWARDED_ALLOW_IPS from the environment (compose sets it).
CMD ["gunicorn", "mentoring.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-"]
