# Parley's server mode as a container: a static binary (CGO_ENABLED=0, the
# SQLite driver is pure Go) on distroless/static, run as the non-root user
# 65532, serving the bot BOT (a folder, default examples/hello) from /bot.
#
#   docker build -t parley --build-arg BOT=examples/pizza .
#   docker run -p 8080:8080 -e PARLEY_API_KEY=$(openssl rand -hex 24) parley
#
# Without PARLEY_API_KEY the server refuses to listen on 0.0.0.0. Sessions
# go to /data/parley.db (mount a volume there) unless PARLEY_STORE names
# another store, e.g. redis://redis:6379/0 for several replicas.

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
ARG BOT=examples/hello
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/parleybot/parley/cli.version=${VERSION}" \
      -o /out/parley ./cmd/parley \
 && cp -R "${BOT}" /out/bot \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/parley /parley
COPY --from=build /out/bot /bot
COPY --from=build --chown=65532:65532 /out/data /data
WORKDIR /data
USER 65532:65532
ENV PARLEY_STORE=sqlite:/data/parley.db
EXPOSE 8080
ENTRYPOINT ["/parley"]
# Local node:/python: code hooks have no interpreter in this image, hence
# --no-hooks; drop it for bots whose hooks are lambda:, http(s) or Go.
CMD ["serve", "--addr", "0.0.0.0:8080", "--no-hooks", "/bot"]
