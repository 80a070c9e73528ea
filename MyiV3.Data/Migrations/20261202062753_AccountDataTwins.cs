using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MyiV3.Data.Migrations
{
    /// <inheritdoc />
    public partial class AccountDataTwins : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "name_key",
                table: "tracks",
                type: "character varying(128)",
                maxLength: 128,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_tracks_name_key",
                table: "tracks",
                column: "name_key");

            migrationBuilder.Sql(MigrationSql.Load("AccountDataTwins.Up.sql"));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_listening_events_minute_user_id_played_at;");

            migrationBuilder.DropIndex(
                name: "ix_tracks_name_key",
                table: "tracks");

            migrationBuilder.DropColumn(
                name: "name_key",
                table: "tracks");
        }
    }
}
