@testable import SagaKernel
@testable import SagaLab
import Testing

/// The analytics service's periodic report: due at the next multiple of the interval
/// after something new was counted, with the Kafka shop's figures, and never keeping an
/// idle world busy.
@Suite struct AnalyticsReportTests {
    static func reports(_ world: World) -> [(time: Millis, report: AnalyticsReport)] {
        world.trace.compactMap { entry in
            if case .step(.reported(let report), _, _) = entry.what { return (entry.time, report) }
            return nil
        }
    }

    @Test func offByDefaultNoReportIsPrinted() {
        let (session, _) = Lab.session(["order alice prod-1", "run", "advance 5m"])
        #expect(Self.reports(session.world).isEmpty)
        #expect(session.world.analytics.reportDue == nil)
    }

    @Test func aReportFollowsNewCountsAtTheNextTickAndThenTheWorldIsQuiet() {
        let (session, _) = Lab.session(["set analytics-report 10s", "order alice prod-1", "run"])
        let world = session.world
        let reports = Self.reports(world)
        #expect(!reports.isEmpty)
        #expect(reports.allSatisfy { $0.time % (10 * VirtualTime.second) == 0 })
        #expect(world.hasWork == false)
        #expect(world.analytics.reportDue == nil)
        let last = reports.last?.report
        #expect(last?.orders == 1)
        #expect(last?.successful == 1)
        #expect(last?.revenue == 1000)
        var later = world
        _ = later.advance(by: VirtualTime.hour)
        #expect(Self.reports(later).count == reports.count)
    }

    @Test func theReportCountsAsTheKafkaShopDoes() {
        let (session, _) = Lab.session(["design kafka", "fail inventory 100", "fail payment off", "order alice prod-1", "run"])
        let last = Self.reports(session.world).last?.report
        #expect(session.world.orders.orders.first?.status == .cancelled)
        #expect(last?.successful == 1)
        #expect(last?.revenue == 1000)
        #expect(session.world.analytics.successful == 0)
    }

    @Test func turningItOffDropsTheWaitingReport() {
        var (session, _) = Lab.session(["set analytics-report 1m", "order alice prod-1"])
        while session.world.analytics.reportDue == nil, !session.execute("step").isError {}
        #expect(session.world.analytics.reportDue != nil)
        _ = session.execute("set analytics-report off")
        #expect(session.world.analytics.reportDue == nil)
        _ = session.execute("run")
        #expect(Self.reports(session.world).isEmpty)
    }

    @Test func badValuesChangeNothing() {
        var (session, _) = Lab.session(["order alice prod-1"])
        let before = session.world
        for line in ["set analytics-report 500ms", "set analytics-report never", "set analytics-report"] {
            let reply = session.execute(line)
            #expect(reply.isError)
        }
        #expect(session.world == before)
    }

    @Test func theKafkaPresetReportsEveryTenSeconds() {
        let (session, _) = Lab.session(["design kafka"])
        #expect(session.world.settings.analyticsReport == 10 * VirtualTime.second)
        #expect(session.world.follows(.kafka))
    }
}
