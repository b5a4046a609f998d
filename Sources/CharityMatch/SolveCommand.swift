import ArgumentParser
import Foundation
import Matching

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `charity-match solve`: solves a CSV instance, so anyone can compare the engine's answer
/// with an independent solver's on the same files (issue 3, "CSV instances").
///
/// Prints one JSON line (sizes, objective, seconds per phase, peak memory) for benchmark
/// scripts. A bad instance is reported with file, line and reason, exits with code 2, and
/// leaves no output file: the answer is written beside `--out` and renamed only when complete.
struct SolveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "solve",
        abstract: "Solve a CSV instance (needs.csv, offers.csv, edges.csv, optional households.csv).",
        discussion: """
            Writes need_id,offer_id,units for every pair with units ≥ 1 and prints one JSON line: \
            method, sizes, objective_micro, units, seconds (read, solve, write) and peak_rss_mb. \
            Exits with code 2, writing nothing, when the instance is missing or malformed.
            """
    )

    enum Method: String, ExpressibleByArgument, CaseIterable {
        case exact
        case greedy
    }

    @Option(help: "Directory with needs.csv, offers.csv, edges.csv and, for a household cap, households.csv.")
    var instance: String

    @Option(help: "File to write the assignment to (need_id,offer_id,units).")
    var out: String

    @Option(help: "exact (the optimum) or greedy (the baseline).")
    var method = Method.exact

    func run() throws {
        let clock = ContinuousClock()
        var started = clock.now
        let problem: TransportationProblem
        do {
            problem = try InstanceCSV.parse(InstanceDirectory.files(in: instance))
        } catch let error as InstanceCSV.ParseError {
            throw InstanceDirectory.fail("\(instance)/\(error)", exitCode: 2)
        }
        let read = clock.now - started

        started = clock.now
        let assignment =
            switch method {
            case .exact: ExactAssigner.assign(problem)
            case .greedy: GreedyAssigner.assign(problem)
            }
        let solve = clock.now - started

        started = clock.now
        try InstanceDirectory.writeAtomically(InstanceCSV.render(assignment, of: problem), to: out)
        let write = clock.now - started

        print(
            #"{"method":"\#(method.rawValue)","needs":\#(problem.needCount),"offers":\#(problem.offerCount),"#
                + #""edges":\#(problem.edgeCount),"objective_micro":\#(assignment.objectiveMicro),"#
                + #""units":\#(assignment.totalUnits),"seconds":{"read":\#(read.seconds),"solve":\#(solve.seconds),"#
                + #""write":\#(write.seconds)},"peak_rss_mb":\#(InstanceDirectory.peakResidentMegabytes())}"#
        )
    }
}

/// Reading and writing an instance directory's files for `solve` and `generate-instance`:
/// whole files as bytes (no String, no Data copy of a 700 MB edges.csv), writes that appear
/// all at once or not at all.
enum InstanceDirectory {
    /// Prints `message` on stderr and returns the exit code to throw, so every failure of
    /// these commands reads the same way and never shows a Swift error dump.
    static func fail(_ message: String, exitCode: Int32) -> ExitCode {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        return ExitCode(exitCode)
    }

    /// The instance's files; a missing directory or required file fails with exit code 2.
    static func files(in directory: String) throws -> InstanceCSV.Files {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw fail("instance directory \(directory) does not exist or is not a directory", exitCode: 2)
        }
        func required(_ file: InstanceCSV.FileName) throws -> [UInt8] {
            guard let bytes = try bytes(of: "\(directory)/\(file.rawValue)") else {
                throw fail("\(directory)/\(file.rawValue) is missing", exitCode: 2)
            }
            return bytes
        }
        return InstanceCSV.Files(
            needs: try required(.needs), offers: try required(.offers), edges: try required(.edges),
            households: try bytes(of: "\(directory)/\(InstanceCSV.FileName.households.rawValue)"))
    }

    /// A whole file as bytes, read straight into the array; nil when there is no such file.
    static func bytes(of path: String) throws -> [UInt8]? {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw fail("cannot open \(path): \(String(cString: strerror(errno)))", exitCode: 2)
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            throw fail("\(path) is not a regular file", exitCode: 2)
        }
        let size = Int(status.st_size)
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            guard let start = buffer.baseAddress else { return }
            while initialized < size {
                let count = read(descriptor, start + initialized, size - initialized)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else {
                    failure = count < 0 ? errno : EIO
                    return
                }
                initialized += count
            }
        }
        guard failure == 0 else {
            throw fail("cannot read \(path): \(String(cString: strerror(failure)))", exitCode: 2)
        }
        return bytes
    }

    /// Writes `bytes` to a temporary file beside `path` and renames it over `path` only once it
    /// is complete and on disk, so a reader never sees a partial file.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).partial").path
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            throw fail("cannot write \(path): \(String(cString: strerror(errno)))", exitCode: 1)
        }
        var written = 0
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            while let start = buffer.baseAddress, written < buffer.count {
                let count = write(descriptor, start + written, buffer.count - written)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else {
                    failure = errno
                    return
                }
                written += count
            }
            if fsync(descriptor) != 0 { failure = errno }
        }
        if close(descriptor) != 0, failure == 0 { failure = errno }
        if failure == 0, rename(temporary, path) != 0 { failure = errno }
        guard failure == 0 else {
            unlink(temporary)
            throw fail("cannot write \(path): \(String(cString: strerror(failure)))", exitCode: 1)
        }
    }

    /// The process's peak resident memory in MB (`ru_maxrss` is KiB on Linux, bytes on macOS).
    static func peakResidentMegabytes() -> Int {
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
            return usage.ru_maxrss / 1024
        #else
            getrusage(RUSAGE_SELF, &usage)
            return usage.ru_maxrss / (1024 * 1024)
        #endif
    }
}
