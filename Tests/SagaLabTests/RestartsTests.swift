@testable import SagaKernel
@testable import SagaLab
import Testing

/// `restarts auto`: a crashed service starts again at once, losing what it held; with
/// the EventBridge shop's preset, its scenario 3 completes with nothing restarted by hand.
@Suite struct RestartsTests {
    @Test func restartsAloneSaysWhichItIsAndChangesNothing() {
        var session = Session()
        let before = session.world
        #expect(session.execute("restarts").text == "restarts manual")
        #expect(session.world == before)
        _ = session.execute("restarts auto")
        #expect(session.execute("restarts").text == "restarts auto")
        #expect(session.world.settings.restartsAtOnce)
    }

    @Test func byDefaultACrashedServiceStaysDown() {
        let (session, _) = Lab.session(["crash inventory", "order alice prod-1", "run"])
        #expect(session.world.node(.inventory).isUp == false)
        #expect(session.world.orders.orders.first?.status == .pending)
    }

    @Test func withAutoRestartsTheServiceComesBackAndTheSagaFinishes() {
        let (session, _) = Lab.session(["restarts auto", "crash inventory at after-effect", "order alice prod-1", "run"])
        let world = session.world
        #expect(world.node(.inventory).isUp)
        #expect(world.orders.orders.first?.status == .confirmed)
        #expect(world.trace.contains { $0.service == .inventory && $0.kind == .restart })
    }

    @Test func theEventBridgeShopsScenarioThreeCompletesWithoutARestartByHand() {
        let (session, _) = Lab.session(["design eventbridge", "crash orders at after-commit", "order alice prod-1", "run"])
        #expect(session.world.settings.restartsAtOnce)
        #expect(session.world.orders.orders.first?.status == .confirmed)
        #expect(Lab.broken(session.world).isEmpty)
    }

    @Test func turningItOnBringsBackWhatIsDown() {
        var (session, _) = Lab.session(["crash payment"])
        #expect(session.world.node(.payment).isUp == false)
        _ = session.execute("restarts auto")
        #expect(session.world.node(.payment).isUp)
        #expect(session.execute("restarts sometimes").isError)
    }
}
