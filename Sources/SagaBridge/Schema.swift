import SagaKernel

/// The shop's tables on PostgreSQL: one schema per service with the tables its design
/// names, each consumer's queue (the bus is PostgreSQL too), and the lab's own schema
/// (the trace, the lab's count of applications, the faults armed) that no service reads.
///
/// Each service is a role of its own. The queue tables belong to the role `sagalab_bus`,
/// which every service role is a member of: `partition` revokes that membership, so the
/// service and its publisher really lose the bus while their own tables stay theirs.
public enum Schema {
    /// The role a service's processes work as: `sagalab_inventory`.
    public static func role(_ service: ServiceName) -> String { "sagalab_\(service.rawValue)" }

    /// The role that may read and write the bus's queue tables.
    public static let busRole = "sagalab_bus"

    /// Drops whatever an earlier bridge left and creates every table empty, stock full.
    public static func create(on db: Connection) throws {
        let services = ServiceName.allCases
        try db.execute("DROP SCHEMA IF EXISTS lab, " + services.map(\.rawValue).joined(separator: ", ") + " CASCADE")
        for role in services.map(role) + [busRole] {
            let exists = try db.execute("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]).count > 0
            if !exists { try db.execute("CREATE ROLE \(role) NOLOGIN") }
        }
        try db.execute(lab)
        for service in services {
            try db.execute("CREATE SCHEMA \(service.rawValue)")
            try db.execute(queue(service))
            try db.execute(processed(service))
            if service.emitsEvents { try db.execute(outbox(service)) }
        }
        try db.execute(orders)
        try db.execute(inventory)
        try db.execute(payment)
        try db.execute(rewards)
        try db.execute(analytics)
        for product in Catalog.products {
            try db.execute("INSERT INTO inventory.stock VALUES ($1, $2, $2)", [product.id, String(product.initialStock)])
        }
        for service in services {
            let name = service.rawValue
            let role = role(service)
            try db.execute("""
                GRANT USAGE ON SCHEMA lab, \(name) TO \(role);
                GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA lab TO \(role);
                GRANT USAGE ON ALL SEQUENCES IN SCHEMA lab TO \(role);
                GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA \(name) TO \(role);
                GRANT USAGE ON ALL SEQUENCES IN SCHEMA \(name) TO \(role);
                REVOKE ALL ON \(name).queue FROM \(role);
                GRANT USAGE ON SCHEMA \(name) TO \(busRole);
                GRANT SELECT, INSERT, UPDATE, DELETE ON \(name).queue, \(name).dead_letters TO \(busRole);
                GRANT USAGE ON SEQUENCE \(name).queue_id_seq TO \(busRole);
                GRANT \(busRole) TO \(role);
                """)
        }
    }

    static let lab = """
        CREATE SCHEMA lab;
        CREATE TABLE lab.trace (
            id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT clock_timestamp(),
            service text, by_publisher boolean NOT NULL DEFAULT false, from_service text,
            order_id int, event_id int, kind text NOT NULL, text text NOT NULL);
        CREATE TABLE lab.applications (service text NOT NULL, event_id int NOT NULL);
        CREATE TABLE lab.settings (name text PRIMARY KEY, value text NOT NULL);
        CREATE TABLE lab.armed_crashes (id serial PRIMARY KEY, process text NOT NULL, point text NOT NULL);
        CREATE TABLE lab.armed_faults (id serial PRIMARY KEY, kind text NOT NULL, event_type text);
        CREATE TABLE lab.started (at timestamptz NOT NULL DEFAULT clock_timestamp());
        INSERT INTO lab.started DEFAULT VALUES;
        CREATE SEQUENCE lab.event_ids;
        """

    /// A consumer's queue: one row per delivery, visible again after the visibility
    /// timeout unless the consumer deletes it (its acknowledgement).
    static func queue(_ service: ServiceName) -> String {
        let s = service.rawValue
        return """
            CREATE TABLE \(s).queue (
                id bigserial PRIMARY KEY, event_id int NOT NULL, type text NOT NULL, order_id int NOT NULL,
                customer text NOT NULL, items text NOT NULL, amount int NOT NULL, reason text,
                created_ms int NOT NULL, handler text NOT NULL, attempt int NOT NULL DEFAULT 0,
                is_copy boolean NOT NULL DEFAULT false, visible_at timestamptz NOT NULL DEFAULT clock_timestamp());
            CREATE INDEX ON \(s).queue (visible_at, id);
            CREATE TABLE \(s).dead_letters (
                id serial PRIMARY KEY, event_id int NOT NULL, type text NOT NULL, order_id int NOT NULL,
                attempts int NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());
            """
    }

    /// The processed-events table; its unique key is the atomic mark (`pattern idempotency on`).
    static func processed(_ service: ServiceName) -> String {
        let s = service.rawValue
        return """
            CREATE TABLE \(s).processed_events (
                id bigserial PRIMARY KEY, event_id int NOT NULL, type text NOT NULL, order_id int NOT NULL,
                at timestamptz NOT NULL DEFAULT clock_timestamp());
            CREATE UNIQUE INDEX processed_once ON \(s).processed_events (event_id);
            """
    }

    static func outbox(_ service: ServiceName) -> String {
        """
        CREATE TABLE \(service.rawValue).outbox (
            event_id int PRIMARY KEY, type text NOT NULL, order_id int NOT NULL, customer text NOT NULL,
            items text NOT NULL, amount int NOT NULL, reason text, created_ms int NOT NULL,
            published boolean NOT NULL DEFAULT false, published_at timestamptz, publish_count int NOT NULL DEFAULT 0);
        """
    }

    static let orders = """
        CREATE TABLE orders.orders (
            id serial PRIMARY KEY, customer text NOT NULL, items text NOT NULL, total int NOT NULL,
            status text NOT NULL DEFAULT 'PENDING', reason text, created_ms int NOT NULL, settled_ms int);
        CREATE TABLE orders.sagas (
            order_id int PRIMARY KEY REFERENCES orders.orders, current_step text NOT NULL,
            compensation_required boolean NOT NULL DEFAULT false, compensation_reason text);
        CREATE TABLE orders.saga_steps (
            id serial PRIMARY KEY, order_id int NOT NULL, name text NOT NULL, succeeded boolean NOT NULL,
            at_ms int NOT NULL, error text);
        CREATE TABLE orders.requests (
            id serial PRIMARY KEY, customer text NOT NULL, items text NOT NULL, order_id int, answer text);
        """

    static let inventory = """
        CREATE TABLE inventory.stock (product text PRIMARY KEY, available int NOT NULL, supplied int NOT NULL);
        CREATE TABLE inventory.reservations (
            id serial PRIMARY KEY, order_id int NOT NULL, items text NOT NULL, event_id int NOT NULL,
            at_ms int NOT NULL, sold boolean NOT NULL DEFAULT false);
        """

    static let payment = """
        CREATE TABLE payment.charges (
            id serial PRIMARY KEY, order_id int NOT NULL, customer text NOT NULL, amount int NOT NULL,
            refunded boolean NOT NULL DEFAULT false, at_ms int NOT NULL);
        """

    static let rewards = """
        CREATE TABLE rewards.ledger (
            id serial PRIMARY KEY, order_id int NOT NULL, customer text NOT NULL, points int NOT NULL,
            event_id int NOT NULL, at_ms int NOT NULL);
        """

    static let analytics = """
        CREATE TABLE analytics.figures (
            one boolean PRIMARY KEY DEFAULT true, revenue int NOT NULL DEFAULT 0, order_count int NOT NULL DEFAULT 0,
            successful int NOT NULL DEFAULT 0, failed int NOT NULL DEFAULT 0, events_seen int NOT NULL DEFAULT 0);
        INSERT INTO analytics.figures DEFAULT VALUES;
        """
}
