create table orders (id bigint auto_increment primary key, customer varchar(100) not null, cents bigint not null, placed_at timestamp not null);
insert into orders(customer, cents, placed_at) values ('alice', 1250, timestamp '2024-01-02 10:00:00'), ('bob', 990, timestamp '2024-01-03 11:30:00');
