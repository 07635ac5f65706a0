# briefs with its runtime dependencies only: Pango and HarfBuzz for WeasyPrint, nothing for
# tests. Build: `docker build -t briefs .`; use: `docker run --rm -v "$PWD:/work" briefs
# build inputs/deepseek-2025.yaml --out public` (the current folder is /work).
FROM python:3.11-slim-bookworm AS build
WORKDIR /src
COPY pyproject.toml README.md CHANGELOG.md LICENSE ./
COPY briefs ./briefs
COPY templates ./templates
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim-bookworm
# The libraries scripts/system-deps.sh installs for a build (no poppler, browser or Java).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
# Not root: files written into the mounted folder belong to uid 1000, and the user's cache
# (font subsets, chart pictures) is its own.
RUN useradd --create-home --uid 1000 briefs
USER briefs
WORKDIR /work
ENTRYPOINT ["briefs"]
CMD ["--help"]
