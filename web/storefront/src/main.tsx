// The app's entry: its settings from the server, the browser's tracing when it is on, then React.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { ConfigContext, loadConfig } from './config.ts';
import './styles.css';
import { startTelemetry } from './telemetry.ts';

const config = await loadConfig();
if (config.tracing) startTelemetry(config.serviceName);

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <ConfigContext value={config}>
      <App />
    </ConfigContext>
  </StrictMode>,
);
