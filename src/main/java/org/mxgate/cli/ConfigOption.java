package org.mxgate.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config} option; the default is conf/mxgate.yml under the installation (mxgate.home). */
final class ConfigOption {

    @Option(names = {"-c", "--config"}, description = "configuration file (default: ${DEFAULT-VALUE})",
            defaultValue = "${sys:mxgate.home:-.}/conf/mxgate.yml")
    Path file;
}
