package jp.kitamoto.lists.mail.intake;

import org.apache.james.protocols.smtp.SMTPConfigurationImpl;

/** The SMTP settings James asks for: our size limit and name, and never relaying for anyone. */
final class IntakeConfiguration extends SMTPConfigurationImpl {
    private final long maxMessageBytes;
    private final String helloName;

    IntakeConfiguration(long maxMessageBytes, String helloName) {
        this.maxMessageBytes = maxMessageBytes;
        this.helloName = helloName;
    }

    @Override
    public long getMaxMessageSize() {
        return maxMessageBytes;
    }

    @Override
    public boolean isRelayingAllowed(String remoteIP) {
        return false;
    }

    @Override
    public String getHelloName() {
        return helloName;
    }

    @Override
    public String getSoftwareName() {
        return "Kitamoto civic lists";
    }

    @Override
    public String getGreeting() {
        return helloName + " ESMTP Kitamoto civic lists";
    }
}
