// swift-tools-version:6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

/// The product's own modules are optimized in debug builds too: the tests then run the system (soaks, replayed days,
/// child processes) at the speed it runs in production, and the suite fits its time on two cores. Test targets and
/// dependencies keep the debug defaults.
let product: [SwiftSetting] = strict + [
    .unsafeFlags(["-O"], .when(configuration: .debug)),
]

let package = Package(
    name: "quantum-trader",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "quantum", targets: ["quantum"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        .target(name: "QuantumCore", swiftSettings: product),
        .target(
            name: "QuantumBus",
            dependencies: ["QuantumCore", "QuantumRedis", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), .product(name: "Logging", package: "swift-log"),
                           .product(name: "DequeModule", package: "swift-collections")],
            swiftSettings: product
        ),
        .target(name: "QuantumSim", dependencies: ["QuantumCore"], swiftSettings: product),
        .target(
            name: "QuantumVenue",
            dependencies: ["QuantumCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: product
        ),
        .target(
            name: "QuantumBinance",
            dependencies: [
                "QuantumVenue", "QuantumCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: product
        ),
        .target(
            name: "QuantumExchange",
            dependencies: ["QuantumSim", "QuantumVenue", "QuantumCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: product
        ),
        .target(
            name: "QuantumExchangeServer",
            dependencies: [
                "QuantumExchange", "QuantumSim", "QuantumCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: product
        ),
        .target(
            name: "QuantumServices",
            dependencies: [
                "QuantumVenue", "QuantumBus", "QuantumCore",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: product
        ),
        .target(
            name: "QuantumOps",
            dependencies: [
                "QuantumServices", "QuantumBus", "QuantumCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.embedInCode("Resources/dashboard.html")],
            swiftSettings: product
        ),
        .target(
            name: "QuantumSoak",
            dependencies: [
                "QuantumServices", "QuantumExchange", "QuantumSim", "QuantumBinance", "QuantumVenue", "QuantumBus", "QuantumCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: product
        ),
        .target(
            name: "QuantumBacktest",
            dependencies: ["QuantumSim", "QuantumCore"],
            resources: [.embedInCode("Resources/report.html")],
            swiftSettings: product
        ),
        .target(
            name: "QuantumRedis",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: product
        ),
        .target(
            name: "QuantumTestSupport",
            dependencies: [
                "QuantumCore", "QuantumBus", "QuantumVenue", "QuantumBinance", "QuantumExchange", "QuantumExchangeServer", "QuantumSim",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: product
        ),
        .executableTarget(
            name: "quantum",
            dependencies: [
                "QuantumCore", "QuantumBus", "QuantumSim", "QuantumVenue", "QuantumBinance", "QuantumExchange", "QuantumExchangeServer",
                "QuantumServices", "QuantumOps", "QuantumSoak", "QuantumBacktest", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: product
        ),
        .testTarget(name: "QuantumCoreTests", dependencies: ["QuantumCore", "QuantumTestSupport"], swiftSettings: strict),
        .testTarget(name: "QuantumSimTests", dependencies: ["QuantumSim", "QuantumCore", "QuantumTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "QuantumExchangeTests",
            dependencies: [
                "QuantumExchange", "QuantumVenue", "QuantumExchangeServer", "QuantumSim", "QuantumCore", "QuantumTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "QuantumVenueTests",
            dependencies: ["QuantumVenue", "QuantumCore", "QuantumTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "QuantumBinanceTests",
            dependencies: [
                "QuantumBinance", "QuantumVenue", "QuantumExchange", "QuantumExchangeServer", "QuantumSim", "QuantumCore",
                "QuantumTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "QuantumServicesTests",
            dependencies: [
                "QuantumServices", "QuantumBinance", "QuantumVenue", "QuantumExchange", "QuantumExchangeServer", "QuantumSim", "QuantumBus",
                "QuantumCore", "QuantumTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "QuantumOpsTests",
            dependencies: [
                "QuantumOps", "QuantumServices", "QuantumBus", "QuantumCore", "QuantumTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "QuantumBacktestTests",
            dependencies: ["QuantumBacktest", "QuantumSim", "QuantumCore", "QuantumTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "QuantumSoakTests",
            dependencies: ["QuantumSoak", "QuantumServices", "QuantumCore", "QuantumTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "QuantumRedisTests",
            dependencies: [
                "QuantumRedis", "QuantumTestSupport", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "QuantumBusProbe", dependencies: ["QuantumBus", "QuantumCore"], swiftSettings: product),
        .testTarget(
            name: "QuantumBusTests",
            dependencies: ["QuantumBus", "QuantumCore", "QuantumRedis", "QuantumTestSupport", "QuantumBusProbe",
                           .product(name: "Logging", package: "swift-log"), .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "QuantumCLITests",
            dependencies: [
                "quantum", "QuantumBus", "QuantumCore", "QuantumRedis", "QuantumTestSupport", "QuantumServices", "QuantumExchange", "QuantumExchangeServer",
                "QuantumSim", "QuantumBinance", "QuantumVenue", "QuantumOps", "QuantumBacktest",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            ],
            swiftSettings: strict
        ),
    ]
)
