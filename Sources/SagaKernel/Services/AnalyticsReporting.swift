/// The analytics service's periodic report (the Kafka shop prints one every 10 seconds).
///
/// A report is due at the next multiple of the interval after analytics counts an event,
/// and only then: a report with nothing new is not printed, so an idle world stays quiet
/// and `run` ends once the last report is out.
extension World {
    /// Puts the next report on the agenda, at the first multiple of the interval after now.
    mutating func scheduleAnalyticsReport() {
        let interval = settings.analyticsReport
        guard interval > 0, analytics.reportDue == nil else { return }
        let due = (now / interval + 1) * interval
        analytics.reportDue = due
        agenda.schedule(.report, at: due)
    }

    /// The interval changed: a waiting report moves to the new interval's next multiple,
    /// or is dropped when reports are off.
    mutating func rescheduleAnalyticsReport() {
        guard analytics.reportDue != nil else { return }
        _ = agenda.remove { $0.action == .report }
        analytics.reportDue = nil
        scheduleAnalyticsReport()
    }

    /// The report from the agenda: analytics prints its figures, if it is running.
    mutating func printAnalyticsReport() {
        analytics.reportDue = nil
        guard node(.analytics).isUp else { return }
        log(.step(.reported(analytics.report)), .analytics)
    }
}
