package io.jsplice.bench.service;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The orders table, through JDBI's SQL objects. */
@RegisterConstructorMapper(Order.class)
public interface Orders {
  @SqlQuery("select id, customer, cents, placed_at from orders order by id")
  List<Order> all();

  @SqlQuery("select id, customer, cents, placed_at from orders where id = :id")
  List<Order> byId(@Bind("id") long id);

  @SqlQuery("select count(*) from orders where customer = :customer")
  int countFor(@Bind("customer") String customer);

  @SqlUpdate("insert into orders(customer, cents, placed_at) values (:customer, :cents, :placedAt)")
  void insert(@BindMethods Order order);
}
