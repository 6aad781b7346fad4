import QuantumCore

/// The start-up checks of any venue, in order, each failing with a message that says what to fix:
/// keys match the environment, the clock is close, the keys work, the account is in one-way mode,
/// every traded symbol exists and has the configured leverage (set, then read back).
public enum VenueStartupCheck {
    public static func run(_ venue: any Venue, credentials: VenueCredentials?, requirements: StartupRequirements)
        async throws(VenueError) -> StartupReport
    {
        let endpoints = venue.endpoints
        guard let credentials else {
            let names = VenueCredentials.variableNames(for: endpoints.environment)
            throw VenueError(.configuration,
                             "no API keys for the \(endpoints.environment) venue \(endpoints.restBase): set \(names.key) and \(names.secret), or use a key file")
        }
        try credentials.check(against: endpoints)

        let offset = try await venue.synchroniseClock(samples: 3)
        if abs(offset.wholeMilliseconds) > requirements.maximumClockSkew.wholeMilliseconds {
            throw VenueError(.configuration,
                             "this host's clock is \(offset.wholeMilliseconds) ms off the venue's (bound ±\(requirements.maximumClockSkew.wholeMilliseconds) ms); fix the clock (NTP) before trading")
        }

        let rules = try await venue.symbolRules()
        for symbol in requirements.symbols where rules[symbol] == nil {
            throw VenueError(.configuration, "\(symbol) is not traded on the \(endpoints.environment) venue \(endpoints.restBase)")
        }

        let account: VenueAccount
        do {
            account = try await venue.account()
        } catch where error.code == .authentication {
            throw VenueError(.configuration,
                             "the \(endpoints.environment) venue \(endpoints.restBase) refused the API key \(credentials.apiKey.hint) (\(error.message)); production keys do not work on the demo and demo keys do not work on production — check that these keys were issued for \(endpoints.environment) and allow futures trading",
                             binanceCode: error.binanceCode)
        }
        guard account.canTrade else {
            throw VenueError(.configuration, "the account on \(endpoints.restBase) may not trade (canTrade = false)")
        }

        var switched = false
        if try await venue.positionMode() == .hedge {
            guard requirements.positionMode == .setOneWay else {
                throw VenueError(.configuration,
                                 "the account is in hedge mode; the system trades in one-way mode only — switch it (no open positions or orders) or allow the check to set it")
            }
            try await venue.setPositionMode(.oneWay)
            guard try await venue.positionMode() == .oneWay else {
                throw VenueError(.configuration, "the venue did not switch the account to one-way mode")
            }
            switched = true
        }

        var configurations: [Symbol: SymbolConfiguration] = [:]
        for symbol in requirements.symbols {
            if let marginType = requirements.marginType { try await venue.setMarginType(marginType, for: symbol) }
            if let leverage = requirements.leverage[symbol] {
                let set = try await venue.setLeverage(leverage, for: symbol)
                guard set.leverage == leverage else {
                    throw VenueError(.configuration, "\(symbol): asked for leverage \(leverage), the venue set \(set.leverage)")
                }
            }
            guard let readBack = try await venue.symbolConfigurations(symbol: symbol).first(where: { $0.symbol == symbol }) else {
                throw VenueError(.configuration, "\(symbol): the venue reports no leverage configuration")
            }
            if let leverage = requirements.leverage[symbol], readBack.leverage != leverage {
                throw VenueError(.configuration, "\(symbol): leverage reads back as \(readBack.leverage), expected \(leverage)")
            }
            if let marginType = requirements.marginType, let actual = readBack.marginType, actual != marginType {
                throw VenueError(.configuration, "\(symbol): margin type reads back as \(actual), expected \(marginType)")
            }
            configurations[symbol] = readBack
        }
        return StartupReport(clockOffset: offset, rules: rules, account: account, configurations: configurations, switchedToOneWay: switched)
    }
}
