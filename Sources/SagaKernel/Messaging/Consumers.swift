/// How every consumer takes a delivery and works through its recipe (`Recipe`), stage by
/// stage: the check, the effect's local transaction (with its outbox rows and, when the
/// recipe joins it, its processed mark), the publish, the mark, the acknowledgement, and
/// the crash points between them.
///
/// With concurrency 1 (the default) a delivery's whole recipe runs within its one agenda
/// item. With `set concurrency SERVICE N` up to N deliveries are in progress at once, each
/// stage an agenda item one round trip after the last, so their stages interleave; the
/// deliveries beyond N wait in the consumer's queue.
extension World {
    ///
    /// Deliveries are taken by move (`consuming`) all the way into the consumer's list, and
    /// only the event's scalar fields are read on the way: a copy of an event touches its
    /// order's details, which with a million orders in flight is a cache miss.
    @inline(__always)
    mutating func handle(_ delivery: consuming Delivery) {
        let service = delivery.target
        let ref = EventRef(type: delivery.event.type, id: delivery.event.id)
        let (orderId, source) = (delivery.event.orderId, delivery.event.source)
        guard node(service).isReachable else {
            parked.append(delivery)
            log(.message(.parked(ref, consumer: service, consumerIsUp: node(service).isUp)), service,
                order: orderId, event: ref.id)
            return
        }
        let limit = settings.concurrency[service.index]
        let busy = node(service).handlings.count
        if limit == 1, busy == 0, node(service).queue.isEmpty {
            start(delivery, atOnce: true)
        } else if busy < limit, node(service).queue.isEmpty {
            start(delivery, atOnce: false)
        } else {
            nodes[service.index].queue.append(delivery)
            log(.message(.queued(ref, consumer: service, inProgress: Int32(busy))), service,
                from: source, order: orderId, event: ref.id)
        }
    }

    /// The consumer takes the delivery: all its stages now (`atOnce`), or the first one a
    /// round trip from now.
    mutating func start(_ delivery: consuming Delivery, atOnce: Bool) {
        let service = delivery.target
        let ref = EventRef(type: delivery.event.type, id: delivery.event.id)
        let (orderId, source, type) = (delivery.event.orderId, delivery.event.source, delivery.event.type)
        logReceived(ref, isCopy: delivery.isCopy, attempt: Int32(clamping: delivery.attempt), retry: delivery.retry, service,
                    from: source, order: orderId)
        if delivery.event.isMalformed {
            deadLetter(delivery, error: World.malformedText, because: .malformed)
            return
        }
        let id = nextHandlingId()
        let recipe = patterns.recipes.recipe(service, for: type)
        var handling = Handling(id: id, delivery: consume delivery, recipe: recipe, stage: 0)
        if atOnce && armedCrashes.isEmpty {
            // Alone at its consumer and run to its end within this step, with no crash armed
            // to cut it short: nothing reads the consumer's list before it is done, so it
            // never waits there, and no stage finds it there and writes it back.
            _ = performStage(&handling, listed: nil, service, atOnce: true)
            return
        }
        nodes[service.index].handlings.append(handling)
        if atOnce {
            var index = nodes[service.index].handlings.count - 1
            while performListedStage(at: &index, service, atOnce: true) {}
        } else {
            scheduleStage(id, service)
        }
    }

    /// An agenda item: the next stage of a delivery handled concurrently.
    mutating func runStage(_ run: RecipeStageRun) {
        guard var index = handlingIndex(run.handling, run.service) else { return }
        updateNode(run.service) { $0.handlings[index].sequence = -1 }
        _ = performListedStage(at: &index, run.service, atOnce: false)
    }

    /// Where the handling `id` sits in the consumer's list. Inlined, because a call of a
    /// non-mutating method from a mutating one copies the whole world first.
    @inline(__always)
    func handlingIndex(_ id: Int32, _ service: ServiceName) -> Int? {
        nodes[service.index].handlings.firstIndex { $0.id == id }
    }

    /// Runs the next stage of the handling at `index` in the consumer's list; `index`
    /// follows it if the stage moves it. Returns true when the next one should run at once.
    mutating func performListedStage(at index: inout Int, _ service: ServiceName, atOnce: Bool) -> Bool {
        var handling = nodes[service.index].handlings[index]
        guard performStage(&handling, listed: index, service, atOnce: atOnce),
              let current = handlingIndex(handling.id, service) else { return false }
        index = current
        return true
    }

    /// Runs the handling's next stage. The handling waits in the consumer's list at
    /// `listed`, where what the stage changes in it is written back (before a crash can
    /// lose it, and when the stage is done) and from where it is taken when it ends; or,
    /// nil, nowhere (see `start`). Returns true when the next one should run at once.
    ///
    /// A handling that waits nowhere and runs at once has every stage run here, one after
    /// the other, to its end (the function returns false): called once a delivery, not
    /// once a stage, it saves its registers and sets up its frame once.
    mutating func performStage(_ handling: inout Handling, listed: Int?, _ service: ServiceName, atOnce: Bool) -> Bool {
        // Whether the stage before this one, run here just now, found no processed mark:
        // nothing has run since that could have written one, so the next stage need not
        // read the table again.
        var checkedUnmarked = false
        while true {
            let unmarked = checkedUnmarked
            checkedUnmarked = false
            let steps = handling.currentSteps
            let eventId = handling.delivery.event.id
            let orderId = handling.delivery.event.orderId
            var published = false
            var starts: ExecutionId?
            if steps.contains(.effect) {
                guard performEffect(&handling, listed: listed, service, steps, atOnce: atOnce, unmarked: unmarked,
                                    starts: &starts) else {
                    return false
                }
            } else if steps == .check {
                let markedAt = nodes[service.index].processed.markedAt(.event(eventId))
                checkedUnmarked = markedAt == nil && atOnce && listed == nil
                if let markedAt, now - markedAt < settings.processedTTL {
                    log(.message(.alreadyProcessed(eventId: eventId)), service, order: orderId, event: eventId)
                    finish(handling, listed: listed, service, atOnce: atOnce, acknowledged: false)
                    return false
                }
                if let markedAt {
                    noteExpiredMark(handling, service, markedAt: markedAt)
                } else if !atOnce {
                    log(.message(.notYetProcessed(eventId: eventId)), service, order: orderId, event: eventId)
                }
            } else if steps == .publish {
                let emitted = handling.emitted.take()
                if let emitted, node(service).isPartitioned {
                    // Cut off, the send throws: what the effect committed stays, its event is
                    // lost, and the delivery, unacknowledged, is retried like any handler error.
                    log(.message(.publishFailed(EventRef(emitted))), service, order: orderId, event: emitted.id)
                    unlist(listed, service)
                    handlerThrew(handling.delivery, error: World.busUnreachableText, rolledBack: false)
                    startQueued(service)
                    return false
                }
                if let emitted { publishToBus(emitted) }
                published = emitted != nil
                if !published && !atOnce {
                    log(.message(.nothingToPublish(eventId: eventId)), service, order: orderId, event: eventId)
                }
            } else if steps == .mark {
                let markedAt = nodes[service.index].processed.markedAt(.event(eventId))
                if let markedAt, now - markedAt < settings.processedTTL {
                    log(.message(.markExists(eventId: eventId, rolledBack: false)), service, order: orderId,
                        event: eventId)
                    finish(handling, listed: listed, service, atOnce: atOnce, acknowledged: false)
                    return false
                }
                if let markedAt { noteExpiredMark(handling, service, markedAt: markedAt) }
                nodes[service.index].processed.mark(eventId, handling.delivery.event.type, orderId, at: now)
                log(.message(.markedProcessed(id: .event(eventId))), service, order: orderId, event: eventId)
            } else {
                if node(service).isPartitioned {
                    // The acknowledgement cannot reach the broker, which sends the message again.
                    log(.message(.ackLost(eventId: eventId)), service, order: orderId, event: eventId)
                    unlist(listed, service)
                    redeliver(handling.delivery)
                    startQueued(service)
                    return false
                }
                finish(handling, listed: listed, service, atOnce: atOnce, acknowledged: true)
                return false
            }
            if !armedCrashes.isEmpty {
                // A crash loses the handling as it stands now.
                if let listed { nodes[service.index].handlings[listed] = handling }
                for (step, point) in World.stagePoints where steps.contains(step) && (step != .publish || published) {
                    if crashIfArmed(service, at: point, order: orderId) { return false }
                }
            }
            if let starts { launch(starts) }
            handling.stage += 1
            if listed != nil {
                guard let current = handlingIndex(handling.id, service) else { return false }
                nodes[service.index].handlings[current] = handling
            }
            if atOnce {
                if listed == nil { continue }
                return true
            }
            scheduleStage(handling.id, service)
            return false
        }
    }

    /// Takes the handling out of the consumer's list, if it waits there.
    @inline(__always)
    private mutating func unlist(_ listed: Int?, _ service: ServiceName) {
        guard let listed else { return }
        // Usually the only delivery in progress: dropped where it lies, not moved out.
        if listed == nodes[service.index].handlings.count - 1 {
            nodes[service.index].handlings.removeLast()
        } else {
            nodes[service.index].handlings.remove(at: listed)
        }
    }

    /// Says that the delivery's event was marked processed once, but the mark has outlived
    /// the TTL, so the table's read treats it as absent. Said on the first stage of the
    /// recipe that reads the table only: a later stage reading it again learns nothing new.
    mutating func noteExpiredMark(_ handling: Handling, _ service: ServiceName, markedAt: Millis) {
        let reads = [handling.recipe.stage(of: .check), handling.recipe.stage(of: .mark)].compactMap { $0 }
        guard reads.min() == handling.stage else { return }
        let event = handling.delivery.event
        log(.message(.markExpired(id: .event(event.id), markedAt: markedAt, ttl: settings.processedTTL)), service,
            order: event.orderId, event: event.id)
    }

    /// The crash point after each step a stage can end with, in the order they are passed.
    static let stagePoints: [(Recipe.Steps, CrashPoint)] =
        [(.check, .afterCheck), (.effect, .afterEffect), (.publish, .afterPublish), (.mark, .afterMark)]

    /// The stage that holds `effect`: the business change in one local transaction, with
    /// the outbox rows (`emit`) and the processed mark (`mark`) it joins. False when the
    /// delivery ended here: skipped, thrown back for a retry, or lost with a crash. The
    /// execution the transaction starts, if any, comes back in `starts`: the effect itself
    /// stays here, so its step result is not copied out only to be thrown away. `unmarked`:
    /// the stage just before found no processed mark, so the table is not read again.
    mutating func performEffect(_ handling: inout Handling, listed: Int?, _ service: ServiceName, _ steps: Recipe.Steps,
                                atOnce: Bool, unmarked: Bool, starts: inout ExecutionId?) -> Bool {
        let handler = handling.delivery.handler
        let event = handling.delivery.event
        let marks = steps.contains(.mark)
        if marks, !unmarked, let markedAt = nodes[service.index].processed.markedAt(.event(event.id)) {
            guard now - markedAt >= settings.processedTTL else {
                log(.message(.markExists(eventId: event.id, rolledBack: true)), service, order: event.orderId, event: event.id)
                finish(handling, listed: listed, service, atOnce: atOnce, acknowledged: false)
                return false
            }
            noteExpiredMark(handling, service, markedAt: markedAt)
        }
        if handler.isCompensation && service != .orders
            && crashIfArmed(service, at: .midCompensation, order: event.orderId, note: .message(.compensationRolledBack)) {
            return false
        }
        if handlerFails(service) {
            unlist(listed, service)
            handlerThrew(handling.delivery, error: World.handlerErrorText)
            startQueued(service)
            return false
        }
        var effect = Effect()
        let result = runHandler(handler, event, &effect)
        guard !effect.crashed else { return false }
        let (emitted, changed) = (effect.emits, effect.changed)
        starts = effect.starts
        let emits = steps.contains(.emit)
        if emits, let emitted { nodes[service.index].outbox.append(emitted) }
        if marks { nodes[service.index].processed.mark(event, at: now) }
        if changed { countApplication(service, .event(event.id)) }
        let outbox = emits ? emitted.map(EventRef.init) : nil
        let compensated = handler.isCompensation && changed
        logStep(result, compensated: compensated, outbox: outbox, service, order: event.orderId, event: event.id)
        if handling.willPublish { handling.emitted = emitted }
        return true
    }

    /// The delivery is done: acknowledged, or skipped as already processed. Its slot frees.
    @inline(__always)
    mutating func finish(_ handling: Handling, listed: Int?, _ service: ServiceName, atOnce: Bool, acknowledged: Bool) {
        unlist(listed, service)
        if acknowledged && !atOnce {
            let event = handling.delivery.event
            log(.message(.acknowledged(eventId: event.id)), service, order: event.orderId, event: event.id)
        }
        startQueued(service)
    }

    /// Starts queued deliveries while the consumer has free slots.
    @inline(__always)
    mutating func startQueued(_ service: ServiceName) {
        while node(service).isReachable, !node(service).queue.isEmpty,
              node(service).handlings.count < settings.concurrency[service.index] {
            let next = nodes[service.index].queue.removeFirst()
            start(next, atOnce: false)
        }
    }

    /// Puts the handling's next stage on the agenda, one round trip from now.
    mutating func scheduleStage(_ id: Int32, _ service: ServiceName) {
        guard let index = handlingIndex(id, service) else { return }
        let event = node(service).handlings[index].delivery.event
        let at = now + settings.roundTrip
        let run = RecipeStageRun(service: service, handling: id, eventId: event.id, orderId: event.orderId)
        let sequence = agenda.schedule(.stage(run), at: at)
        updateNode(service) {
            $0.handlings[index].dueAt = at
            $0.handlings[index].sequence = sequence
        }
    }

    /// A crash loses every delivery the consumer was working on or held in its queue: the
    /// events they had yet to publish are gone, and the broker redelivers each of them.
    mutating func loseHandlings(_ service: ServiceName) {
        guard !node(service).handlings.isEmpty || !node(service).queue.isEmpty else { return }
        let lost = node(service).handlings
        var queued: [Delivery] = []
        updateNode(service) {
            $0.handlings = []
            queued = $0.queue.removeAll()
        }
        for handling in lost {
            if handling.sequence >= 0 { _ = agenda.remove(at: handling.dueAt, sequence: handling.sequence) }
            let event = handling.delivery.event
            if handling.willPublish {
                if let emitted = handling.emitted {
                    log(.message(.neverPublished(EventRef(emitted))), service, order: event.orderId, event: emitted.id)
                }
            }
            redeliver(handling.delivery)
        }
        for delivery in queued { redeliver(delivery) }
    }

    /// `set concurrency SERVICE N`: how many deliveries the consumer works on at once.
    public mutating func setConcurrency(_ service: ServiceName, _ n: Int) throws {
        let range = Settings.concurrencyRange
        guard range.contains(n) else {
            throw WorldError("concurrency is a whole number from \(range.lowerBound) to \(range.upperBound), not \(n)")
        }
        settings.concurrency[service.index] = n
        log(.lab(.concurrency(service, n)), nil)
        startQueued(service)
    }

    /// `recipe SERVICE [EVENT-TYPE] ...`: how the consumer handles the next deliveries it takes.
    public mutating func setRecipe(_ recipe: Recipe, for service: ServiceName, type: EventType?) throws {
        if let type, Handler.of(service, for: type) == nil {
            throw WorldError("\(service.rawValue) has no handler for \(type.rawValue)")
        }
        patterns.recipes.set(recipe, for: service, type: type)
        log(.lab(.recipe(service, type, recipe)), nil)
    }
}
