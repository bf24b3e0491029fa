# The hub for docker-compose.yml. With ZEEBE_ADDRESS and KAFKA_BROKERS set, `hub start` uses
# those services and starts no local Java stack.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .
EXPOSE 3000
CMD ["npx", "tsx", "hub/cli.ts", "start"]
