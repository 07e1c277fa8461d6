import Testing
@testable import MoosicML
@testable import MoosicCore
@testable import MoosicStore
@testable import MoosicSpotify
@testable import MoosicVision
@testable import MoosicApp

@Suite struct CronLineTests {
    @Test func parsesTimesOfDay() {
        #expect(CronLine.parseTime("04:30")! == (4, 30))
        #expect(CronLine.parseTime("0:05")! == (0, 5))
        for bad in ["24:00", "12:60", "12", "ab:cd", "1:2:3", "", "-1:30", "12:"] {
            #expect(CronLine.parseTime(bad) == nil, "\(bad)")
        }
    }

    @Test func lineHasScheduleAbsolutePathsAndLog() {
        let line = CronLine.make(binary: "/opt/moosic/bin/moosic", user: "alice", hour: 4, minute: 17,
                                 home: "/home/a/.local/share/moosic", variables: [("MOOSIC_CLIENT_ID", "abc123")],
                                 log: "/home/a/.local/share/moosic/refresh.log")
        #expect(line == "17 4 * * * MOOSIC_HOME=/home/a/.local/share/moosic MOOSIC_CLIENT_ID=abc123 /opt/moosic/bin/moosic refresh --user alice >> /home/a/.local/share/moosic/refresh.log 2>&1")
    }

    @Test func awkwardWordsAreQuotedAndPercentEscaped() {
        let line = CronLine.make(binary: "/my apps/moosic", user: "o'neil%", hour: 1, minute: 2, home: "/h", log: "/h/log")
        #expect(line.contains("'/my apps/moosic'"))
        #expect(line.contains("'o'\\''neil\\%'"))
    }
}
