// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "SagaLab",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "sagalab", targets: ["SagaLabCLI"]),
        .library(name: "SagaLab", targets: ["SagaLab"]),
        .library(name: "Lessons", targets: ["Lessons"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // The release build's kernel counts references without atomic instructions: sagalab's
        // Swift runs on one thread (no thread, task or dispatch queue anywhere in it; a signal
        // handler only sets a flag; CPrefault's helper thread is C that touches no Swift
        // object), and a world is copied, kept and freed millions of times in a search. The tests run in parallel, so the debug build keeps atomic counts;
        // `make test` checks every transcript with the release binary too. README, Speed.
        .target(
            name: "SagaKernel",
            dependencies: ["CPrefetch", "CPrefault"],
            swiftSettings: [.unsafeFlags(["-Xfrontend", "-assume-single-threaded"], .when(configuration: .release))]
        ),
        // The kernel's C: a prefetch hint (see Prefetch.swift), and a hint that a table's
        // next pages be backed, taken by a helper thread (see Prefault.swift). DWARF 4 for
        // the C: valgrind's callgrind (README, Speed) cannot read clang's default DWARF 5.
        .systemLibrary(name: "CPrefetch"),
        .target(name: "CPrefault", cSettings: [.unsafeFlags(["-gdwarf-4"])]),
        .target(name: "SagaLab", dependencies: ["SagaKernel"]),
        // `Lessons` and the command line name the kernel beside `SagaLab`, which re-exports
        // it: a target is compiled again when a module it depends on directly changes, and
        // through `SagaLab` alone a change to a kernel type's private stored property (its
        // layout) left them with the old layout, linked into a binary that crashed at its
        // first prompt.
        .target(
            name: "Lessons",
            dependencies: ["SagaKernel", "SagaLab"],
            resources: [.embedInCode("handbook"), .embedInCode("lessons")]
        ),
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        // libpq is opened on first use (see its shim.h), so it is not linked: only its
        // header (Debian's libpq-dev) is needed to build.
        .systemLibrary(name: "CLibPQ"),
        .systemLibrary(name: "CHeap"),
        .target(name: "SagaBridge", dependencies: ["SagaKernel", "SagaLab", "CLibPQ"]),
        .executableTarget(
            name: "SagaLabCLI",
            dependencies: [
                "SagaKernel",
                "SagaLab",
                "Lessons",
                "CEditLine",
                "CHeap",
                "SagaBridge",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // jemalloc takes the place of glibc's malloc: a search's heap is a gigabyte of small
            // blocks freed in another order than they were taken, where glibc spent a fifth of
            // the time merging and sorting free chunks. README, Dependencies.
            linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]
        ),
        .testTarget(
            name: "SagaLabTests",
            dependencies: ["SagaKernel", "SagaLab", "Lessons", "SagaBridge"],
            exclude: []
        ),
    ],
    swiftLanguageModes: [.v6]
)
