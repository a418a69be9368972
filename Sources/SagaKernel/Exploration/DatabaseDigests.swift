/// The packings of the participants' databases for the explorer's fingerprint
/// (`World.Digest`): each field in words, a text through the hash of its bytes, where
/// `Hasher` spent a start, some twenty instructions a word and a finish on each, whenever
/// a step changed the database. A packing must feed every field that tells two databases
/// apart (`ExplorerTests` lists them).
extension PaymentDB: DigestRow {
    /// The charges row by row, the sums and the fence marks. Where each order's charges
    /// sit follows from the charges.
    func digest<H: WordHasher>(into hasher: inout H) {
        hasher.combineWord(UInt64(charges.count))
        for charge in charges { charge.digest(into: &hasher) }
        hasher.combineInt(captured)
        hasher.combineInt(refunded)
        fence.digest(into: &hasher)
    }
}

extension PaymentDB.Charge: DigestRow {
    func digest<H: WordHasher>(into hasher: inout H) {
        hasher.combineWord(hasher.chargeNumber(id) | hasher.orderNumber(orderId) << 32)
        hasher.combineWord(hasher.customerWord(customer))
        hasher.combineInt(amount)
        hasher.combineWord(UInt64(bitPattern: Int64(at)) << 1 | (refunded ? 1 : 0))
    }
}

extension InventoryDB.Reservation: DigestRow {
    func digest<H: WordHasher>(into hasher: inout H) { digest(into: &hasher, sequence: Int(sequence)) }

    /// The same, with `sequence` for the reservation's: a symmetric fingerprint ranks an
    /// order's reservations by their place in the order's list instead, since the
    /// sequence only orders them for views.
    func digest<H: WordHasher>(into hasher: inout H, sequence: Int) {
        hasher.combineWord(hasher.orderNumber(orderId) | hasher.eventNumber(eventId) << 32)
        hasher.combineWord(UInt64(bitPattern: Int64(at)))
        hasher.combineWord(UInt64(bitPattern: Int64(sequence)) << 1 | (isSold ? 1 : 0))
        hasher.combineWord(UInt64(items.count))
        for item in items {
            hasher.combineText(item.product)
            hasher.combineInt(item.quantity)
        }
    }
}

extension AnalyticsDB: DigestRow {
    /// The aggregates, and the windows as a sum of a term each, so that the table's order
    /// plays no part.
    func digest<H: WordHasher>(into hasher: inout H) {
        hasher.combineInt(revenue)
        hasher.combineInt(orderCount)
        hasher.combineInt(successful)
        hasher.combineInt(failed)
        hasher.combineInt(eventsSeen)
        hasher.combineInt(lateDropped)
        hasher.combineInt(paymentsPassed)
        hasher.combineInt(paymentsFailed)
        hasher.combineInt(paymentRevenue)
        hasher.combineWord(UInt64(bitPattern: Int64(streamTime)))
        hasher.combineWord(reportDue.map { UInt64(bitPattern: Int64($0)) << 1 | 1 } ?? 0)
        var windowsTerm: UInt64 = 0
        for (start, count) in windows {
            windowsTerm &+= World.Digest.mix(UInt64(bitPattern: Int64(start)), UInt64(bitPattern: Int64(count)))
        }
        hasher.combineWord(UInt64(windows.count))
        hasher.combineWord(windowsTerm)
    }
}

extension ScheduleAction {
    /// The action in words, for the names the explorer keeps the actions asleep in a
    /// state by (`SymmetricNaming.key(of:)`).
    func digest<H: WordHasher>(into hasher: inout H) {
        switch self {
        case .pick(let action):
            hasher.combineWord(1)
            action.digest(into: &hasher)
        case .crash(let service): hasher.combineWord(2 | UInt64(service.tag) << 8)
        case .crashDuring(let action, let service, let point):
            hasher.combineWord(3 | UInt64(service.tag) << 8 | UInt64(point.tag) << 16)
            action.digest(into: &hasher)
        case .restart(let service): hasher.combineWord(4 | UInt64(service.tag) << 8)
        case .crashPublisher(let service): hasher.combineWord(5 | UInt64(service.tag) << 8)
        case .crashPublisherDuring(let action, let service):
            hasher.combineWord(6 | UInt64(service.tag) << 8)
            action.digest(into: &hasher)
        case .restartPublisher(let service): hasher.combineWord(7 | UInt64(service.tag) << 8)
        case .duplicate(let id):
            hasher.combineWord(8)
            hasher.combineWord(hasher.eventNumber(id))
        case .partition(let service): hasher.combineWord(9 | UInt64(service.tag) << 8)
        case .heal: hasher.combineWord(10)
        case .drop(let id):
            hasher.combineWord(11)
            hasher.combineWord(hasher.eventNumber(id))
        case .delay(let id, let by):
            hasher.combineWord(12)
            hasher.combineWord(hasher.eventNumber(id))
            hasher.combineInt(by)
        case .redrive(let service): hasher.combineWord(13 | UInt64(service.tag) << 8)
        case .run: hasher.combineWord(14)
        }
    }
}
