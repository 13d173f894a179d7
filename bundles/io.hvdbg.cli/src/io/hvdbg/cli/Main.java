/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code hvdbg} command (io.hvdbg.cli on a plain JVM; the launcher script at the
 * repository root builds and starts it). See {@link Usage} and docs/architecture.md.
 */
public final class Main {
    public static final String VERSION = "0.1.0";

    private Main() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err, System.in);
        System.out.flush();
        System.exit(status);
    }

    /** Runs one command line; returns the process exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err, InputStream in) {
        List<String> rest = Arrays.asList(args);
        boolean debug = false;
        while (!rest.isEmpty() && rest.get(0).equals("--debug")) {
            debug = true;
            rest = rest.subList(1, rest.size());
        }
        if (rest.isEmpty()) {
            return usageError(err, null, "missing command");
        }
        String name = rest.get(0);
        List<String> cmdArgs = rest.subList(1, rest.size());
        Command.Io io = new Command.Io(out, err, in);
        // The core and the stub print the stack traces of their internal errors under this property.
        String debugProperty = System.getProperty(DEBUG_PROPERTY);
        if (debug) {
            System.setProperty(DEBUG_PROPERTY, "true");
        }
        try {
            switch (name) {
                case "help", "--help", "-h" -> {
                    return help(cmdArgs, io);
                }
                case "--version", "version" -> {
                    if (!cmdArgs.isEmpty()) {
                        return usageError(err, null, "'" + name + "' takes no arguments");
                    }
                    out.println("hvdbg " + VERSION);
                    return ExitCodes.OK;
                }
                default -> { }
            }
            Command command = command(name);
            if (command == null) {
                if (name.startsWith("-")) {
                    return usageError(err, null, "unknown option " + name + " (options follow the command)");
                }
                return usageError(err, null, "unknown command '" + name + "'");
            }
            if (cmdArgs.contains("--help") || cmdArgs.contains("-h")) {
                out.print(Usage.of(name));
                return ExitCodes.OK;
            }
            return command.execute(cmdArgs, io);
        } catch (CliException e) {
            if (e.status() == ExitCodes.USAGE) {
                return usageError(err, e.command() == null ? name : e.command(), e.getMessage());
            }
            err.println("hvdbg: " + e.getMessage());
            if (debug && e.getCause() != null) {
                e.getCause().printStackTrace(err); // what the one line summarised, for a bug report
            }
            return e.status();
        } catch (RuntimeException | LinkageError e) {
            return internalError(e, debug, err);
        } finally {
            if (debug) {
                if (debugProperty == null) {
                    System.clearProperty(DEBUG_PROPERTY);
                } else {
                    System.setProperty(DEBUG_PROPERTY, debugProperty);
                }
            }
        }
    }

    /** System property under which the core and the stub print stack traces of internal errors ({@code --debug} sets it). */
    static final String DEBUG_PROPERTY = "hvdbg.debug";

    /** A bug in hvdbg, not the user's input: one line, the stack trace only with {@code --debug}. */
    static int internalError(Throwable e, boolean debug, PrintStream err) {
        err.println("hvdbg: internal error: " + e + (debug ? "" : " (run with --debug for details)"));
        if (debug) {
            e.printStackTrace(err);
        }
        return ExitCodes.FAILURE;
    }

    static Command command(String name) {
        return switch (name) {
            case "demo" -> new DemoCommand();
            case "run" -> new RunCommand();
            case "bench" -> new BenchCommand();
            case "stats" -> new StatsCommand();
            case "export" -> new ExportCommand();
            case "ide", "test" -> (args, io) -> {
                throw CliException.unavailable("'hvdbg " + name
                        + "' is run by the hvdbg launcher script at the root of the repository, not by the Java command");
            };
            default -> null;
        };
    }

    private static int help(List<String> args, Command.Io io) {
        if (args.size() > 1) {
            return usageError(io.err(), null, "'help' takes at most one command name");
        }
        if (args.isEmpty()) {
            io.out().print(Usage.all());
            return ExitCodes.OK;
        }
        String topic = args.get(0);
        if (command(topic) == null) {
            return usageError(io.err(), null, "no help for unknown command '" + topic + "'");
        }
        io.out().print(Usage.of(topic));
        return ExitCodes.OK;
    }

    /** One line naming what is wrong, then the usage (of the command, if known), on stderr. */
    static int usageError(PrintStream err, String command, String message) {
        err.println("hvdbg: " + message);
        err.print(Usage.of(command(command == null ? "" : command) == null ? null : command));
        return ExitCodes.USAGE;
    }
}
