@testable import SagaKernel
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
