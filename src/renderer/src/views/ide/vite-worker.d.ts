// Vite's `?worker` imports (a Worker constructor for a bundled module), for the Monaco editor worker.
declare module '*?worker' {
  const WorkerConstructor: new () => Worker;
  export default WorkerConstructor;
}
