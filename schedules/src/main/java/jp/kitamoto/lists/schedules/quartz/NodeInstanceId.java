package jp.kitamoto.lists.schedules.quartz;

import org.quartz.spi.InstanceIdGenerator;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Quartz's instance id for {@code instanceId = AUTO}: host name, process id and start time, so that an operator (or
 * a test) reading {@code QRTZ_SCHEDULER_STATE} or {@code QRTZ_FIRED_TRIGGERS} can tell which process holds a
 * trigger; Quartz's own generator gives host name and time only, the same prefix for two nodes on one machine.
 */
public final class NodeInstanceId implements InstanceIdGenerator {
    @Override
    public String generateInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "-pid" + ProcessHandle.current().pid() + "-" + System.currentTimeMillis();
    }
}
