/*
 * Copyright (c) 2026 hvdbg contributors
 * SPDX-License-Identifier: EPL-2.0
 */
package io.hvdbg.cli;

/**
 * Ends a command with a one-line message and an exit status from {@link ExitCodes}. The message
 * names what is wrong; Main prints it after {@code hvdbg: }, and adds the usage of the command
 * for {@link ExitCodes#USAGE}.
 */
public class CliException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String command;

    public CliException(int status, String command, String message) {
        super(message);
        this.status = status;
        this.command = command;
    }

    /** Bad command line: the message names the option or value; the usage of {@code command} follows. */
    public static CliException usage(String command, String message) {
        return new CliException(ExitCodes.USAGE, command, message);
    }

    /** An input file that cannot be read or loaded. */
    public static CliException input(String message) {
        return new CliException(ExitCodes.INPUT, null, message);
    }

    /** Something not yet available in this build. */
    public static CliException unavailable(String message) {
        return new CliException(ExitCodes.UNAVAILABLE, null, message);
    }

    /** The run failed (VM error stop, I/O error on output). */
    public static CliException failure(String message) {
        return new CliException(ExitCodes.FAILURE, null, message);
    }

    public int status() {
        return status;
    }

    /** The command whose usage to print, or null. */
    public String command() {
        return command;
    }
}
