import Lessons
import SagaLab
import Testing

/// The named checks and the and/or/not language a lesson file writes them in.
@Suite struct ExerciseCheckTests {
    static func world(_ lines: [String]) -> World {
        var session = Session(seed: 1)
        for line in lines { _ = session.execute(line) }
        return session.world
    }

    @Test func notAndOrCombineChecks() throws {
        let fresh = Self.world([])
        #expect(try Condition.parse("rule rewards order.created").isMet(in: fresh))
        #expect(try !Condition.parse("not rule rewards order.created").isMet(in: fresh))
        #expect(try !Condition.parse("not rule rewards order.created and all-running").isMet(in: fresh))
        #expect(try Condition.parse("not rule rewards order.confirmed and all-running").isMet(in: fresh))
        #expect(try Condition.parse("order-status confirmed or not orders-at-least 1").isMet(in: fresh))
        #expect(try !Condition.parse("not (all-running or settled)").isMet(in: fresh))
    }

    @Test func notSaysWhatIsWantedInTheLearnersWords() throws {
        let fresh = Self.world([])
        #expect(try Condition.parse("not rule rewards order.created").missing(in: fresh)
            == ["rewards no longer hears order.created (`show rules`)"])
        #expect(try Condition.parse("order-status cancelled or order-status failed").missing(in: fresh)
            == ["either an order ends CANCELLED (`show orders`), or an order ends FAILED (`show orders`)"])
        let confirmed = Self.world(["order alice prod-1x2", "run"])
        #expect(try Condition.parse("order-status confirmed and all-running").missing(in: confirmed).isEmpty)
    }

    @Test func badChecksSayWhatIsExpected() {
        func message(_ text: String) -> String {
            do {
                _ = try Condition.parse(text)
                return ""
            } catch {
                return (error as? CheckError)?.message ?? "\(error)"
            }
        }
        #expect(message("setled").contains("did you mean 'settled'?"))
        #expect(message("rule rewards") == "`rule` needs more arguments; write `rule SERVICE EVENT-TYPE`")
        #expect(message("rule rewardz order.created").hasPrefix("unknown service \"rewardz\""))
        #expect(message("settled now") == "`settled` takes no argument \"now\"; write `settled`")
        #expect(message("invariant nothing").hasPrefix("unknown invariant \"nothing\"; invariants: stock-non-negative"))
        #expect(message("(settled") == "a \"(\" is never closed; add \")\"")
        #expect(message("settled and") == "expected a check's name at the end")
        #expect(message("failure payment 30").hasPrefix("a failure rate is a percentage"))
    }

    @Test func everyCheckHasAUniqueNameAndReadsItsOwnUsage() {
        let names = ExerciseChecks.names
        #expect(Set(names).count == names.count)
        for check in ExerciseChecks.all where check.arguments.isEmpty {
            #expect((try? check.init(arguments: [])) != nil, "\(check.name) takes no arguments")
        }
    }

    @Test func lostInCrashNeedsACrashNotADrop() throws {
        let check = try Condition.parse("lost-in-crash")
        #expect(!check.isMet(in: Self.world(["drop next order.created", "order carol prod-2", "run"])))
        #expect(check.isMet(in: Self.world(["pattern outbox off", "crash orders at after-commit", "order carol prod-2"])))
    }

    @Test func rebuildChangedNeedsARebuildThatPutSomethingRight() throws {
        let check = try Condition.parse("rebuild-changed analytics")
        let dropped = ["design boong", "drop next order.confirmed", "order bob prod-2", "run"]
        #expect(!check.isMet(in: Self.world(dropped)))
        #expect(!check.isMet(in: Self.world(["design boong", "order bob prod-2", "run", "rebuild analytics"])))
        #expect(!check.isMet(in: Self.world(dropped + ["rebuild rewards"])))
        #expect(check.isMet(in: Self.world(dropped + ["rebuild analytics"])))
    }
}
