from django.urls import path, register_converter

from plans import edit_views, followup_views, plan_views, review_views


class ItemKindConverter:
    regex = "avsnitt|fokusomrade|mal|insats|nyckeltal"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ItemKindConverter, "itemkind")

app_name = "plans"
urlpatterns = [
    path("", plan_views.plan_list, name="list"),
    path("biblioteksplaner.<exportformat:file_format>", plan_views.plan_export, name="export"),
    path("uppfoljningar.<exportformat:file_format>", plan_views.followups_export, name="followups_export"),
    path("ny/", edit_views.plan_create, name="create"),
    path("<int:pk>/", plan_views.plan_detail, name="detail"),
    path("<int:pk>/pdf/", plan_views.plan_pdf, name="pdf"),
    path("<int:pk>/redigera/", edit_views.plan_edit, name="edit"),
    path("<int:pk>/uppgifter/", edit_views.plan_details_save, name="details_save"),
    path("<int:pk>/avsnitt/ny/", edit_views.section_add, name="section_add"),
    path("<int:pk>/avsnitt/<int:section_id>/", edit_views.section_save, name="section_save"),
    path("<int:pk>/<itemkind:kind>/ny/", edit_views.item_save, name="item_add"),
    path("<int:pk>/<itemkind:kind>/<int:item_id>/", edit_views.item_save, name="item_save"),
    path("<int:pk>/<itemkind:kind>/<int:item_id>/flytta/", edit_views.item_move, name="item_move"),
    path("<int:pk>/<itemkind:kind>/<int:item_id>/ta-bort/", edit_views.item_delete, name="item_delete"),
    path("<int:pk>/historik/", plan_views.history, name="history"),
    path("<int:pk>/historik/jamfor/", plan_views.compare, name="compare"),
    path("<int:pk>/historik/<int:number>/aterstall/", edit_views.restore, name="restore"),
    path("<int:pk>/bilagor/", edit_views.attachment_add, name="attachment_add"),
    path("<int:pk>/bilagor/<int:attachment_id>/", plan_views.attachment_download, name="attachment_download"),
    path("<int:pk>/anta/", edit_views.adopt, name="adopt"),
    path("<int:pk>/ny-version/", edit_views.plan_copy, name="copy"),
]

# --- reviews and follow-ups -----------------------------------------------------------

urlpatterns += [
    path("granskning/", review_views.review_queue, name="review_queue"),
    path("region/<orgcode:code>/", review_views.region_overview, name="region_overview"),
    path("<int:pk>/skicka-for-granskning/", review_views.submit, name="submit"),
    path("<int:pk>/ta-tillbaka/", review_views.withdraw, name="withdraw"),
    path("<int:pk>/granskningar/", review_views.review_list, name="reviews"),
    path("<int:pk>/granskningar/<int:review_id>/", review_views.review_detail, name="review"),
    path("<int:pk>/granskningar/<int:review_id>/bedomning/", review_views.assess, name="assess"),
    path("<int:pk>/granskningar/<int:review_id>/avsluta/", review_views.close, name="review_close"),
    path("<int:pk>/granskningar/<int:review_id>/kommentarer/", review_views.comment, name="comment"),
    path(
        "<int:pk>/granskningar/<int:review_id>/kommentarer/<int:comment_id>/status/",
        review_views.resolve,
        name="comment_resolve",
    ),
    path("<int:pk>/uppfoljning/", followup_views.followup_list, name="followups"),
    path("<int:pk>/uppfoljning/<int:year>/", followup_views.followup_detail, name="followup"),
    path(
        "<int:pk>/uppfoljning/<int:year>/kvittera/", followup_views.acknowledge, name="followup_acknowledge"
    ),
    path(
        "<int:pk>/uppfoljning/<int:year>/komplettering/",
        followup_views.request_completion,
        name="followup_completion",
    ),
]
