package jp.kitamoto.lists.store;

/** Receives a generated key from an insert (MyBatis writes it through the setter). */
public final class IdHolder {
    private long id;

    public long getId() {
        return id;
    }

    public void setId(long id) {
        this.id = id;
    }
}
