# The hub as a container (docker-compose.yml runs it beside Zeebe, Kafka, MySQL and Mailpit).
# Compiled JavaScript at runtime (tsx is for development only), a non-root user, a health check on
# /readyz, and production mode: LOCAL_STACK=false starts no broker, so ZEEBE_ADDRESS (or
# CAMUNDA7_REST_URL) and KAFKA_BROKERS must name the services. test/container.unit.test.ts checks
# these rules; test/hub/compiled.int.test.ts starts the compiled hub the image runs.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim
ENV NODE_ENV=production LOCAL_STACK=false HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY .bpmnlintrc ./
COPY bpmn ./bpmn
COPY config ./config
COPY console ./console
COPY gateway/api-docs ./gateway/api-docs
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then((r)=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/hub/cli.js", "start"]
