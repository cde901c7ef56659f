// Renderer entry: pick the transport, subscribe to errors before connecting, render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { AppErrorStore } from './state/app-error-store';
import { PaigeProvider, type PaigeRuntime } from './state/paige-context';
import { createPaigeConnection } from './transport/select';
import './styles.css';

const connection = createPaigeConnection();
const errors = new AppErrorStore();
// The backend replays sticky startup errors (e.g. SETTINGS_INVALID) right after connecting: listen first.
errors.attach(connection.client);
connection.start();

const runtime: PaigeRuntime = { connection, errors };
const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('#root element missing from index.html');

createRoot(rootElement).render(
  <StrictMode>
    <PaigeProvider runtime={runtime}>
      <App />
    </PaigeProvider>
  </StrictMode>,
);
