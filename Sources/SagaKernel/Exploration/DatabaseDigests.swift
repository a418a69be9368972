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
        hasher.combineWord(UInt64(UInt32(bitPattern: id.number)) | UInt64(UInt32(bitPattern: orderId.number)) << 32)
        hasher.combineText(customer)
        hasher.combineInt(amount)
        hasher.combineWord(UInt64(bitPattern: Int64(at)) << 1 | (refunded ? 1 : 0))
    }
}

extension InventoryDB.Reservation: DigestRow {
    func digest<H: WordHasher>(into hasher: inout H) {
        hasher.combineWord(UInt64(UInt32(bitPattern: orderId.number)) | UInt64(UInt32(bitPattern: eventId.number)) << 32)
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
