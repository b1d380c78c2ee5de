// PM2 process file for the demo app: pm2 start demo-app/ecosystem.config.cjs
// PM2's "online" only means the process is alive; `npx playwright test` is what proves it serves.
module.exports = {
  apps: [
    {
      name: 'demo-database',
      script: 'demo-app/database/server.ts',
      interpreter: 'node',
      node_args: '--import tsx',
      env: {
        PREFLIGHT_DATABASE_URL: 'tcp://127.0.0.1:5433',
        DEMO_DB_DIR: '/var/lib/preflight-demo/postgres',
      },
    },
    {
      name: 'demo-backend',
      script: 'demo-app/backend/server.ts',
      interpreter: 'node',
      node_args: '--import tsx',
      env: {
        NODE_ENV: 'production',
        PREFLIGHT_BACKEND_URL: 'http://127.0.0.1:3001',
        PREFLIGHT_DATABASE_URL: 'tcp://127.0.0.1:5433',
        DEMO_RELEASE_ID: 'set-by-deploy',
      },
    },
    {
      name: 'demo-frontend',
      script: 'demo-app/frontend/server.ts',
      interpreter: 'node',
      node_args: '--import tsx',
      env: {
        NODE_ENV: 'production',
        PREFLIGHT_FRONTEND_URL: 'http://127.0.0.1:3000',
        PREFLIGHT_BACKEND_URL: 'http://127.0.0.1:3001',
      },
    },
  ],
};
