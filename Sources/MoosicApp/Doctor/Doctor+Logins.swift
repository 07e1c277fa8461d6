import Foundation
import MoosicSpotify

extension Doctor {
    func loginChecks() -> [DoctorCheck] {
        let logins: [String: SpotifyTokens]
        do {
            logins = try TokenStore(environment: environment).all()
        } catch {
            return [DoctorCheck("logins", .fail, ErrorReport(error).message, fix: "moosic auth login")]
        }
        let users = user.map { [$0] } ?? logins.keys.sorted()
        if users.isEmpty {
            return [DoctorCheck("logins", offline ? .warn : .fail, "no Spotify login in \(environment.home.path)",
                                fix: "moosic auth login")]
        }
        return users.flatMap { id -> [DoctorCheck] in
            guard let tokens = logins[id] else {
                return [DoctorCheck("login \(id)", offline ? .warn : .fail, "\(id) has not logged in on this machine (MOOSIC_HOME \(environment.home.path))",
                                    fix: "moosic auth login (as \(id))")]
            }
            return [loginAge(tokens), scopes(tokens)]
        }
    }

    func loginAge(_ tokens: SpotifyTokens) -> DoctorCheck {
        let name = "login \(tokens.userID)"
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let expiry = calendar.date(byAdding: .month, value: Self.loginLifetimeMonths, to: tokens.loggedInAt)!
        let day = 86_400.0
        let age = Int(now.timeIntervalSince(tokens.loggedInAt) / day)
        let left = Int((expiry.timeIntervalSince(now) / day).rounded(.down))
        let logged = "logged in \(Self.day(tokens.loggedInAt)) (\(age) days ago)"
        let again = "moosic auth login (as \(tokens.userID))"
        if let configured = clientIDValue, configured != tokens.clientID {
            return DoctorCheck(name, .fail, "\(logged) through the app \(tokens.clientID), but MOOSIC_CLIENT_ID is \(configured): a token refresh needs the same app",
                               fix: "export MOOSIC_CLIENT_ID=\(tokens.clientID), or \(again)")
        }
        if expiry <= now {
            return DoctorCheck(name, .fail, "\(logged): Spotify's refresh tokens last 6 months, this one ran out on \(Self.day(expiry))",
                               fix: again)
        }
        if left < Self.loginWarningDays {
            return DoctorCheck(name, .warn, "\(logged): its refresh token runs out on \(Self.day(expiry)), in \(left) day(s)",
                               fix: "\(again) before then")
        }
        return DoctorCheck(name, .ok, "\(logged); its refresh token runs out on \(Self.day(expiry)) (in \(left) days)")
    }

    func scopes(_ tokens: SpotifyTokens) -> DoctorCheck {
        let granted = Set(tokens.scope.split(separator: " ").map(String.init))
        let missing = SpotifyConfiguration.scopes.filter { !granted.contains($0) }
        if missing.isEmpty {
            return DoctorCheck("scopes \(tokens.userID)", .ok, "all \(SpotifyConfiguration.scopes.count) scopes moosic asks for were granted")
        }
        return DoctorCheck("scopes \(tokens.userID)", .fail, "missing scope(s) \(missing.joined(separator: ", ")): sync or playlist writes exit 77",
                           fix: "moosic auth login (as \(tokens.userID)) and accept every permission")
    }
}
