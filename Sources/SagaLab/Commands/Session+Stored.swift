import SagaKernel

extension Session {
    /// A session over a world read from elsewhere (the bridge's PostgreSQL): its looking
    /// commands (`show`, `trace`, `log`, `check`) then read that world with the same code.
    public init(looking world: World, style: Style = .plain, width: Int = 80) {
        self.init(style: style)
        self.world = world
        self.width = width
    }
}
