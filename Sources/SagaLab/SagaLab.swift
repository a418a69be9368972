// The command language, the views and the terminal text live here; the world they read and
// drive is the SagaKernel target, re-exported so `import SagaLab` brings both.
@_exported import SagaKernel
