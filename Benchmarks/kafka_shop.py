#!/usr/bin/env python3
"""The Kafka shop's saga, payment first, as a SimPy 4 model for bench.py to time beside SagaLab.

Per order it does the work `sagalab run` does for a script of `flow payment-first`,
`fail payment 30%`, `fail inventory 20%`, stock for every order, N orders at time 0 and
`run quiet`: the same events, routed by the same rules (Flow.paymentFirst.defaultRules) to
the same consumers, each consumer idempotent, and each publishing service writing its events
to an outbox that a publisher drains every 30 s of virtual time. It keeps the same databases
in memory. Unlike the lab it keeps no trace and checks no invariants; and its random draws
differ from the lab's, so its counts come close to the lab's without being equal.

usage:  kafka_shop.py ORDERS [--seed N]
prints: {"orders": N, "confirmed": C, "cancelled": X, "events": E, "deliveries": D}
"""
import argparse
import json
import random
from dataclasses import dataclass, field

import simpy

# Virtual time is in milliseconds, as in SagaLab. Numbers from its `Settings` and `Catalog`.
PUBLISH_INTERVAL = 30_000          # each outbox publisher polls every 30 s
LATENCY = (20, 120)                # bus latency per delivery, both ends included
MINUTE = 60_000                    # analytics counts orders per one-minute window, no grace
PRICES = {"prod-1": 1_000, "prod-2": 2_500, "prod-3": 5_000}    # cents
INITIAL_STOCK = {"prod-1": 100, "prod-2": 50, "prod-3": 25}
PAYMENT_FAILURES = 0.30            # `fail payment 30%`
INVENTORY_FAILURES = 0.20          # `fail inventory 20%`
FLOW_STEPS = ("payment", "inventory")   # must both succeed before an order is confirmed

# The bus's routing rules, in the order `flow payment-first` leaves them (the flow's rules,
# then rewards' own): (event type, or None for every event; consumer; its handler).
# SagaLab also routes order.created to orders to start an orchestrated saga; that rule
# serves orchestrated orders only, so for these choreographed orders it never fires.
RULES = [
    ("order.created", "payment", "charge"),
    ("payment.completed", "inventory", "reserve"),
    ("inventory.reserved", "orders", "record_step"),
    ("inventory.reservation.failed", "orders", "cancel"),
    ("payment.completed", "orders", "record_step"),
    ("payment.failed", "orders", "cancel"),
    ("order.cancelled", "inventory", "release"),
    ("order.cancelled", "payment", "refund"),
    (None, "analytics", "aggregate"),
    ("order.created", "rewards", "award_points"),
]
PUBLISHERS = ("orders", "inventory", "payment")     # the services that own an outbox
EVENT_TYPES = ("order.created", "order.confirmed", "order.cancelled", "inventory.reserved",
               "inventory.reservation.failed", "inventory.released", "payment.completed",
               "payment.failed", "payment.refunded")


@dataclass(slots=True)
class Event:
    id: str
    type: str
    order_id: str
    customer: str
    items: list                    # [(product, quantity)]: each event carries the whole order
    amount: int                    # cents
    created_at: int
    reason: str | None = None


@dataclass(slots=True)
class OutboxRow:
    event: Event
    published_at: int | None = None


@dataclass(slots=True)
class Order:
    id: str
    customer: str
    items: list
    total: int
    saga_id: str
    created_at: int
    status: str = "PENDING"
    reason: str | None = None
    settled_at: int | None = None


@dataclass(slots=True)
class Saga:
    saga_id: str
    order_id: str
    current_step: str = "CREATED"
    steps: dict = field(default_factory=dict)     # step -> (succeeded, at, error)
    compensation_reason: str | None = None


@dataclass(slots=True)
class Charge:
    id: str
    order_id: str
    customer: str
    amount: int
    at: int
    refunded: bool = False


class Service:
    """A service's process-level parts: its outbox, its publisher and its idempotent consumer."""

    def __init__(self, shop, name):
        self.shop, self.env, self.name = shop, shop.env, name
        self.outbox = []           # OutboxRow, in commit order; rows are kept once published
        self.unsent = 0            # index of the first row not yet published
        self.processed = set()     # ids of the events this consumer has handled

    def consume(self, event, handler):
        """One delivery: skip a duplicate, else run the handler's local transaction, which
        writes its business rows, its outbox rows and the processed mark together."""
        if event.id in self.processed:
            return
        self.outbox.extend(OutboxRow(e) for e in handler(event))
        self.processed.add(event.id)

    def publisher(self):
        """The outbox publisher: every interval, put each unpublished row on the bus, then mark it."""
        while True:
            yield self.env.timeout(PUBLISH_INTERVAL)
            if self.shop.quiet:
                return
            for row in self.outbox[self.unsent:]:
                self.shop.publish(row.event)
                row.published_at = self.env.now
            self.unsent = len(self.outbox)


class Orders(Service):
    def __init__(self, shop, name):
        super().__init__(shop, name)
        self.orders, self.sagas = {}, {}

    def place(self, customer, items):
        """POST /orders: the order, its saga state and order.created commit together."""
        order_id, saga_id = self.shop.next_id("ord"), self.shop.next_id("saga")
        total = sum(PRICES[product] * quantity for product, quantity in items)
        self.orders[order_id] = Order(order_id, customer, items, total, saga_id, self.env.now)
        self.sagas[order_id] = Saga(saga_id, order_id, steps={"created": (True, self.env.now, None)})
        self.outbox.append(OutboxRow(self.shop.new_event("order.created", order_id, customer, items, total)))

    def record_step(self, event):
        order = self.orders.get(event.order_id)
        if order is None or order.status != "PENDING":
            return []
        saga, now = self.sagas[order.id], self.env.now
        step = "inventory" if event.type == "inventory.reserved" else "payment"
        saga.steps[step] = (True, now, None)
        saga.current_step = "INVENTORY_RESERVED" if step == "inventory" else "PAYMENT_COMPLETED"
        if not all(saga.steps.get(s, (False,))[0] for s in FLOW_STEPS):
            return []
        order.status, order.settled_at = "CONFIRMED", now
        saga.steps["confirmation"], saga.current_step = (True, now, None), "CONFIRMED"
        return [self.shop.event_after(event, "order.confirmed", amount=order.total)]

    def cancel(self, event):
        order = self.orders.get(event.order_id)
        if order is None or order.status != "PENDING":
            return []
        saga, now = self.sagas[order.id], self.env.now
        step = "inventory" if event.type == "inventory.reservation.failed" else "payment"
        reason = f"{'Inventory reservation' if step == 'inventory' else 'Payment'} failed: {event.reason}"
        saga.steps[step] = (False, now, event.reason)
        saga.compensation_reason = reason
        order.status, order.reason, order.settled_at = "CANCELLED", reason, now
        saga.steps["compensation"], saga.current_step = (True, now, None), "CANCELLED"
        return [self.shop.event_after(event, "order.cancelled", amount=order.total, reason=reason)]


class Inventory(Service):
    def __init__(self, shop, name, stock):
        super().__init__(shop, name)
        self.available = dict(INITIAL_STOCK, **stock)
        self.reservations = {}     # order id -> (items, event id, at)

    def reserve(self, event):
        if self.shop.rng.random() < INVENTORY_FAILURES:
            return [self.shop.event_after(event, "inventory.reservation.failed", reason="injected failure")]
        if any(self.available.get(product, 0) < quantity for product, quantity in event.items):
            return [self.shop.event_after(event, "inventory.reservation.failed", reason="insufficient stock")]
        for product, quantity in event.items:
            self.available[product] -= quantity
        self.reservations[event.order_id] = (event.items, event.id, self.env.now)
        return [self.shop.event_after(event, "inventory.reserved")]

    def release(self, event):
        held = self.reservations.pop(event.order_id, None)
        if held is None:
            return []
        for product, quantity in held[0]:
            self.available[product] += quantity
        return [self.shop.event_after(event, "inventory.released")]


class Payment(Service):
    def __init__(self, shop, name):
        super().__init__(shop, name)
        self.charges = {}          # order id -> [Charge]

    def charge(self, event):
        if self.shop.rng.random() < PAYMENT_FAILURES:
            return [self.shop.event_after(event, "payment.failed", reason="card declined")]
        charge = Charge(self.shop.next_id("ch"), event.order_id, event.customer, event.amount, self.env.now)
        self.charges.setdefault(event.order_id, []).append(charge)
        return [self.shop.event_after(event, "payment.completed")]

    def refund(self, event):
        open_charges = [c for c in self.charges.get(event.order_id, []) if not c.refunded]
        if not open_charges:
            return []
        for c in open_charges:
            c.refunded = True
        total = sum(c.amount for c in open_charges)
        return [self.shop.event_after(event, "payment.refunded", amount=total)]


class Rewards(Service):
    def __init__(self, shop, name):
        super().__init__(shop, name)
        self.ledger = []           # (order id, customer, points, event id, at)

    def award_points(self, event):
        self.ledger.append((event.order_id, event.customer, event.amount // 100, event.id, self.env.now))
        return []


class Analytics(Service):
    def __init__(self, shop, name):
        super().__init__(shop, name)
        self.revenue = self.order_count = self.successful = self.failed = 0
        self.events_seen = self.late_dropped = self.stream_time = 0
        self.windows = {}          # window start -> orders created in it

    def aggregate(self, event):
        self.events_seen += 1
        self.stream_time = max(self.stream_time, event.created_at)
        if event.type == "order.created":
            self.order_count += 1
            start = event.created_at - event.created_at % MINUTE
            if start + MINUTE <= self.stream_time:
                self.late_dropped += 1
            else:
                self.windows[start] = self.windows.get(start, 0) + 1
        elif event.type == "order.confirmed":
            self.successful += 1
            self.revenue += event.amount
        elif event.type in ("order.cancelled", "order.failed"):
            self.failed += 1
        return []


class Shop:
    def __init__(self, orders, seed):
        self.env = simpy.Environment()
        self.rng = random.Random(seed)  # the one source of chance: failures and latencies
        self.ids = {}
        self.services = {
            "orders": Orders(self, "orders"),
            "inventory": Inventory(self, "inventory", {"prod-1": orders}),   # `stock prod-1 N`
            "payment": Payment(self, "payment"),
            "rewards": Rewards(self, "rewards"),
            "analytics": Analytics(self, "analytics"),
        }
        # event type -> [(consumer, handler)], resolved once from RULES, in rule order.
        self.routes = {t: [(self.services[s], getattr(self.services[s], h)) for r, s, h in RULES if r in (t, None)]
                       for t in EVENT_TYPES}
        self.in_flight = self.published = self.deliveries = 0
        self.orders_to_place = orders

    def next_id(self, prefix):
        n = self.ids[prefix] = self.ids.get(prefix, 0) + 1
        return f"{prefix}-{n}"

    def new_event(self, type, order_id, customer, items, amount, reason=None):
        return Event(self.next_id("evt"), type, order_id, customer, items, amount, self.env.now, reason)

    def event_after(self, cause, type, amount=None, reason=None):
        amount = cause.amount if amount is None else amount
        return self.new_event(type, cause.order_id, cause.customer, cause.items, amount, reason)

    def publish(self, event):
        """The bus: one delivery to every rule's consumer, each after its own latency. A
        delivery is a timeout whose callback hands the event over (cheaper than a process
        per delivery, so SimPy is timed at its best)."""
        self.published += 1
        for consumer, handler in self.routes[event.type]:
            self.deliveries += 1
            self.in_flight += 1
            arrival = self.env.timeout(self.rng.randint(*LATENCY))
            arrival.callbacks.append(lambda _, e=event, c=consumer, h=handler: self.arrive(e, c, h))

    def arrive(self, event, consumer, handler):
        self.in_flight -= 1
        consumer.consume(event, handler)

    @property
    def quiet(self):
        """Nothing in flight and no unpublished row: nothing can ever happen again."""
        return self.in_flight == 0 and all(len(self.services[s].outbox) == self.services[s].unsent
                                           for s in PUBLISHERS)

    def run(self):
        for i in range(1, self.orders_to_place + 1):      # every order placed at time 0
            self.services["orders"].place(f"user-{i}", [("prod-1", 1)])
        for name in PUBLISHERS:
            self.env.process(self.services[name].publisher())
        self.env.run()                                    # returns once every publisher saw quiet
        statuses = [o.status for o in self.services["orders"].orders.values()]
        return {"orders": len(statuses), "confirmed": statuses.count("CONFIRMED"),
                "cancelled": statuses.count("CANCELLED"), "events": self.published,
                "deliveries": self.deliveries}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("orders", type=int, help="how many orders to place at time 0")
    parser.add_argument("--seed", type=int, default=1, help="seed for the failures and latencies")
    args = parser.parse_args()
    print(json.dumps(Shop(args.orders, args.seed).run()))


if __name__ == "__main__":
    main()
