package jp.kitamoto.lists.store;

import jp.kitamoto.lists.domain.CommandKind;
import jp.kitamoto.lists.domain.CommandState;
import jp.kitamoto.lists.domain.InboundCommand;
import org.apache.ibatis.annotations.Param;

import java.util.List;

public interface CommandMapper {
    void insertCommand(@Param("c") InboundCommand command, @Param("key") IdHolder key);

    List<InboundCommand> findByState(@Param("state") CommandState state, @Param("limit") int limit);

    List<InboundCommand> findByStateAndCommand(@Param("state") CommandState state,
                                               @Param("command") CommandKind command, @Param("limit") int limit);

    /**
     * Locks a command that is still {@code RECEIVED} for the caller's transaction and returns 1, or 0 when another
     * node has handled it meanwhile: several nodes on one database handle each command once.
     */
    int lockReceived(@Param("id") long id);

    int markProcessed(@Param("id") long id, @Param("state") CommandState state, @Param("result") String result,
                      @Param("now") long now);
}
