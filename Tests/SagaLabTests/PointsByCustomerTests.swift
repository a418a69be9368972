@testable import SagaKernel
@testable import SagaLab
import Testing

/// Points per customer are kept in a table of their own (`PointsByCustomer`): it must
/// answer as a dictionary of sums would, whatever the order the customers came in.
struct PointsByCustomerTests {
    /// Names of every kind the lab meets: a range's, a learner's, long ones kept outside
    /// the string, and names beyond ASCII.
    static let names = (1...300).map { "user-\($0)" } + ["alice", "bob", "a customer with a long name", "café", "zoë-müller", ""]

    @Test func sumsAgreeWithADictionaryWhateverTheOrder() {
        var generator = SeededGenerator(seed: 7)
        var table = PointsByCustomer()
        var reference: [String: Int] = [:]
        for _ in 0..<3_000 {
            let name = PointsByCustomerTests.names[generator.int(in: 0...(PointsByCustomerTests.names.count - 1))]
            let points = generator.int(in: -20...20)
            let isNew = reference[name] == nil
            #expect(table.add(points, to: name) == isNew, "a first entry for \(name) says so")
            reference[name, default: 0] += points
        }
        #expect(table.count == reference.count)
        for name in PointsByCustomerTests.names { #expect(table[name] == reference[name] ?? 0, "\(name)") }
        #expect(table["nobody"] == 0)

        var backwards = PointsByCustomer()
        for (name, points) in reference.sorted(by: { $0.key > $1.key }) { backwards.add(points, to: name) }
        #expect(backwards == table, "the same sums in another order")
        #expect(backwards.hashValue == table.hashValue)
        backwards.add(1, to: "alice")
        #expect(backwards != table)
    }

    /// A range's customers are kept by number once it made room for them: every read must
    /// answer as the dictionary does, the entries must list in the order the names first
    /// came, and a table that made room must equal one that did not.
    @Test(arguments: [UInt64(1), 2, 3])
    func customersKeptByNumberAnswerAsByName(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let names = (0...40).map { "user-\($0)" } + (0...40).map { "u-\($0)" }
            + ["user-007", "user-00", "user--1", "user-", "user-5x", "user-99999999999999999999", "alice", "", "7", "user-1 ", "user-123456789012345", "user-\u{E9}"]
        var table = PointsByCustomer()
        var plain = PointsByCustomer()
        var reference: [String: Int] = [:]
        var arrived: [String] = []
        for step in 0..<2_000 {
            if generator.next() % 40 == 0 {
                let prefix = generator.next() % 3 == 0 ? "u-" : "user-"
                let first = generator.int(in: 0...30)
                table.makeRoom(prefix: prefix, numbers: first...(first + generator.int(in: 0...15)), firstOrder: OrderId(number: 1))
            }
            let name = names[generator.int(in: 0...(names.count - 1))]
            let points = generator.int(in: -20...20)
            let isNew = reference[name] == nil
            #expect(table.add(points, to: name) == isNew, "a first entry for \(name) says so")
            plain.add(points, to: name)
            if isNew { arrived.append(name) }
            reference[name, default: 0] += points
            if step % 100 == 0 || step == 1_999 {
                #expect(table.count == reference.count)
                #expect(table.entries.map(\.0) == arrived, "the names in the order they first came")
                #expect(table.entries.allSatisfy { reference[$0.0] == $0.1 })
                for name in names {
                    #expect(table[name] == reference[name] ?? 0 && table.contains(name) == (reference[name] != nil), "\(name)")
                }
                #expect(table == plain && table.hashValue == plain.hashValue, "room made or not, the same sums")
                #expect(table.sameNonZero(as: plain) && plain.sameNonZero(as: table))
            }
        }
        #expect(table.entriesByNumber > 0 && plain.entriesByNumber == 0, "some customers were kept by number")
        plain.add(1, to: "user-3")
        #expect(table != plain && !table.sameNonZero(as: plain))
    }

    @Test func aRangeOfThousandsKeepsItsCustomersByNumber() {
        var ranged = Session(seed: 6)
        var single = Session(seed: 6)
        for session in [0, 1] {
            var s = session == 0 ? ranged : single
            _ = s.execute("stock prod-1 3000")
            if session == 0 { _ = s.execute("order user-1..1200 prod-1") } else { for n in 1...1200 { _ = s.execute("order user-\(n) prod-1") } }
            _ = s.execute("run quiet")
            if session == 0 { ranged = s } else { single = s }
        }
        #expect(ranged.world.rewards.pointsOfCustomer.entriesByNumber == ranged.world.rewards.pointsOfCustomer.count)
        #expect(ranged.world.rewards.pointsOfCustomer.count > 1_000 && single.world.rewards.pointsOfCustomer.entriesByNumber == 0)
        #expect(ranged.world.orders.earnedPoints.entriesByNumber == ranged.world.orders.earnedPoints.count)
        // The hint at an order's customer's sum lands where the sum is.
        for table in [ranged.world.rewards.pointsOfCustomer, ranged.world.orders.earnedPoints] {
            #expect(ranged.world.orders.orders.allSatisfy { order in
                table.hintedPlace(customerOf: order.id) == table.numberedPlace(of: order.customer)
            })
        }
        #expect(ranged.world.rewards.pointsOfCustomer == single.world.rewards.pointsOfCustomer)
        #expect(ranged.world.orders.earnedPoints == single.world.orders.earnedPoints)
        #expect(ranged.world == single.world)
        #expect(ranged.execute("show points").text == single.execute("show points").text)
    }

    @Test func entriesAtZeroDoNotCountForTheNonZeroComparison() {
        var earned = PointsByCustomer()
        var held = PointsByCustomer()
        earned.add(20, to: "alice")
        held.add(20, to: "alice")
        held.add(5, to: "bob")
        #expect(!held.sameNonZero(as: earned) && !earned.sameNonZero(as: held))
        held.add(-5, to: "bob")
        #expect(held.sameNonZero(as: earned) && earned.sameNonZero(as: held))
        #expect(held != earned, "bob's entry at 0 is still an entry")
        earned.add(-20, to: "alice")
        #expect(!held.sameNonZero(as: earned))
    }
}
